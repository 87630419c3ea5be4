import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { identifyPort, tcpConnect } from "../../src/detect/index.ts";
import type { IdentifyOptions } from "../../src/detect/index.ts";
import { makeCertificate } from "./service-kit.ts";

const HOST = "127.0.0.1";
const options: IdentifyOptions = { intensity: 7, connect: tcpConnect, connectTimeoutMs: 1500, probeTimeoutMs: 1500, bannerTimeoutMs: 1500, idleMs: 100 };
const servers: net.Server[] = [];

async function serve(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("identifying a port", () => {
  test("an HTTP answer written one byte at a time still yields the Server header", async () => {
    const answer = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nServer: lab-httpd/2.1\r\n\r\nbody";
    const port = await serve((socket) =>
      socket.once("data", async () => {
        for (const ch of answer) {
          socket.write(ch);
          await new Promise((r) => setTimeout(r, 1));
        }
        socket.end();
      }),
    );
    const found = await identifyPort(HOST, port, options);
    expect(found.service).toMatchObject({ service: "HTTP", version: "lab-httpd/2.1" });
    expect(found.banner?.banner).toStartWith("HTTP/1.0 200 OK\\r\\n");
  });

  test("a slow greeting wins over the complaint it sends our HTTP probe, and is the banner", async () => {
    // Like a real FTP server: it reads commands only after greeting.
    const port = await serve((socket) => {
      setTimeout(() => {
        socket.write("220 (vsFTPd 3.0.5)\r\n");
        socket.on("data", () => socket.write("530 Please login with USER and PASS.\r\n"));
      }, 200);
    });
    const found = await identifyPort(HOST, port, options);
    expect(found.service).toMatchObject({ service: "FTP", version: "vsFTPd 3.0.5" });
    expect(found.banner?.banner).toBe("220 (vsFTPd 3.0.5)");
  });

  test("a port that accepts and hangs up without a word is TCPWRAPPED, as nmap names it, with no banner and no TLS try", async () => {
    let connections = 0;
    const port = await serve((socket) => {
      connections++;
      socket.resume(); // reads the probe's bytes and the client's FIN, so the server can close
      socket.end();
    });
    const found = await identifyPort(HOST, port, options);
    expect(found).toEqual({ service: { target: HOST, port, service: "TCPWRAPPED", version: null, confidence: 80 }, banner: null, certificate: null });
    expect(connections).toBe(2); // the NULL probe and the one alongside it
  });

  test("a TLS server that hangs up after the handshake is TLS with its certificate, not tcpwrapped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prtip-tls-"));
    try {
      const cert = makeCertificate(dir, "hangup.test", ["hangup.test"], HOST);
      const server = tls.createServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (socket) => {
        socket.on("error", () => {});
        socket.resume();
        socket.end();
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
      const port = (server.address() as net.AddressInfo).port;
      const found = await identifyPort(HOST, port, options);
      expect(found.service).toMatchObject({ service: "TLS", version: null });
      expect(found.certificate?.sha256).toBe(cert.sha256);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a silent port is tried with every probe and TLS, then left unidentified", async () => {
    const seen: string[] = [];
    const port = await serve((socket) => socket.on("data", (d: Buffer) => seen.push(d.subarray(0, 4).toString("latin1"))));
    const found = await identifyPort(HOST, port, { ...options, bannerTimeoutMs: 200, probeTimeoutMs: 200, connectTimeoutMs: 300 });
    expect(found).toEqual({ service: null, banner: null, certificate: null });
    expect(seen).toContain("GET ");
    expect(seen).toContain("INFO");
    expect(seen.some((s) => s.charCodeAt(0) === 0x16)).toBe(true); // a TLS ClientHello record
  });
});

import { afterAll, beforeAll, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { createServer, type Server } from "node:http";
import { runBinaryAsync } from "./harness.ts";

// -sV and -sU through the compiled binary, against servers on 127.0.0.1 only.

let http: Server;
let httpPort = 0;
let udp: Socket;
let udpPort = 0;

beforeAll(async () => {
  http = createServer((_req, res) => {
    res.setHeader("Server", "prtip-test/1.0");
    res.end("ok");
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  httpPort = (http.address() as { port: number }).port;
  udp = createSocket("udp4");
  udp.on("message", (msg, from) => udp.send(msg, from.port, from.address));
  await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
  udpPort = udp.address().port;
});

afterAll(() => {
  http.close();
  udp.close();
});

const lines = (stdout: string) => stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

test("-sV names the HTTP service and its Server header version", async () => {
  const r = await runBinaryAsync(["-sT", "-sV", "-Pn", "-p", String(httpPort), "-oJ", "-", "127.0.0.1"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const service = lines(r.stdout).find((e) => e.event === "ServiceDetected");
  expect(service).toMatchObject({ target: "127.0.0.1", port: httpPort, service: "HTTP", version: "prtip-test/1.0" });
});

test("-sU reports an answering UDP port open and a refused one closed", async () => {
  const r = await runBinaryAsync(["-sU", "-Pn", "-v", "-p", `${udpPort},9`, "-oJ", "-", "127.0.0.1"]);
  expect(r.code).toBe(0);
  const ports = lines(r.stdout).filter((e) => e.event === "PortFound");
  const byPort = Object.fromEntries(ports.map((e) => [e.port, [e.state, e.reason, e.protocol]]));
  expect(byPort[udpPort]).toEqual(["Open", "udp-response", "Udp"]);
  expect(byPort[9]).toEqual(["Closed", "icmp-unreach", "Udp"]);
});

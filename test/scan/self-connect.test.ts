import { describe, expect, test } from "bun:test";
import dgram from "node:dgram";
import { createServer } from "node:net";
import { createUdpExchange } from "../../src/detect/index.ts";
import { sentToItself } from "../../src/detect/udp-exchange.ts";
import { connectedToItself, createNetDial } from "../../src/scan/index.ts";

// A probe whose ephemeral source port is the closed target port on our own
// address talks to itself. These tests pin the source port to make that happen
// every time rather than once in ~28,000 probes.

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
  const port = socket.address().port;
  await new Promise<void>((r) => socket.close(r));
  return port;
}

describe("a connect that meets itself", () => {
  test("connectedToItself: true only when local address and port are the remote ones", () => {
    expect(connectedToItself({ localAddress: "127.0.0.1", localPort: 40000, remoteAddress: "127.0.0.1", remotePort: 40000 })).toBe(true);
    expect(connectedToItself({ localAddress: "::1", localPort: 40000, remoteAddress: "::1", remotePort: 40000 })).toBe(true);
    expect(connectedToItself({ localAddress: "127.0.0.1", localPort: 40001, remoteAddress: "127.0.0.1", remotePort: 40000 })).toBe(false);
    expect(connectedToItself({ localAddress: "127.0.0.1", localPort: 40000, remoteAddress: "127.0.0.2", remotePort: 40000 })).toBe(false);
    expect(connectedToItself({})).toBe(false);
  });

  test("node:net dial: a closed port whose number is the source port is refused, not open", async () => {
    const port = await freeTcpPort();
    const dial = createNetDial({ localAddress: "127.0.0.1", localPort: port });
    expect(await dial("127.0.0.1", port, 2000, new AbortController().signal)).toBe("refused");
  });

  test("node:net dial: a pinned source port still finds a listener open", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const dial = createNetDial({ localAddress: "127.0.0.1", localPort: await freeTcpPort() });
    expect(await dial("127.0.0.1", port, 2000, new AbortController().signal)).toBe("open");
    server.close();
  });
});

describe("a UDP probe sent to its own socket", () => {
  test("sentToItself: true only when the socket's address and port are the target's", () => {
    expect(sentToItself({ address: "127.0.0.1", port: 53250 }, { address: "127.0.0.1", port: 53250 })).toBe(true);
    expect(sentToItself({ address: "127.0.0.1", port: 53251 }, { address: "127.0.0.1", port: 53250 })).toBe(false);
    expect(sentToItself({ address: "127.0.0.2", port: 53250 }, { address: "127.0.0.1", port: 53250 })).toBe(false);
  });

  test("udpExchange: the probe coming back to its own socket is no reply; the port is closed (refused)", async () => {
    const port = await freeUdpPort();
    const exchange = createUdpExchange({ localAddress: "127.0.0.1", localPort: port });
    const answer = await exchange("127.0.0.1", port, new TextEncoder().encode("probe"), { timeoutMs: 500 });
    expect(answer.kind).toBe("refused");
  });

  test("udpExchange: from a pinned port, a real echo is still a reply", async () => {
    const echo = dgram.createSocket("udp4");
    echo.on("message", (msg, from) => echo.send(msg, from.port, from.address));
    await new Promise<void>((r) => echo.bind(0, "127.0.0.1", r));
    const exchange = createUdpExchange({ localAddress: "127.0.0.1", localPort: await freeUdpPort() });
    const answer = await exchange("127.0.0.1", echo.address().port, new TextEncoder().encode("probe"), { timeoutMs: 2000 });
    echo.close();
    expect(answer.kind).toBe("reply");
  });
});

import { describe, expect, test } from "bun:test";
import { type OpenPort, type UdpExchange, detectServices, latin1 } from "../../src/detect/index.ts";

// -sU -sV: detection tells which UDP ports answered, so the engine can promote
// an open|filtered one to open. Answers come from a fake exchange, no socket.

/** Port 5300 answers only a DNS query (as a resolver does); 5301 answers anything with junk; the rest are silent. */
const fakeExchange: UdpExchange = async (_host, port, payload) => {
  const text = latin1(payload);
  if (port === 5300 && text.startsWith("pr")) return { kind: "reply", bytes: new Uint8Array([0x70, 0x72, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]), rttMs: 1 };
  if (port === 5301) return { kind: "reply", bytes: new TextEncoder().encode("?"), rttMs: 1 };
  return { kind: "silent" };
};

async function detect(ports: OpenPort[]) {
  const log: string[] = [];
  await detectServices(ports, { udpExchange: fakeExchange, probeTimeoutMs: 10 }, {
    answered: (p) => log.push(`answered ${p.port}`),
    service: (f) => log.push(`service ${f.port} ${f.service}`),
    banner: (f) => log.push(`banner ${f.port}`),
    certificate: () => {},
  });
  return log;
}

describe("UDP detection reports which ports answered", () => {
  test("a port that answers a version probe is reported answered, before its banner and service; a silent one is not", async () => {
    const log = await detect([
      { target: "127.0.0.1", port: 5300, protocol: "Udp" },
      { target: "127.0.0.1", port: 5302, protocol: "Udp" },
    ]);
    expect(log).toEqual(["answered 5300", "banner 5300", "service 5300 DNS"]);
  });

  test("an answer no matcher recognises still proves the port answered", async () => {
    const log = await detect([{ target: "127.0.0.1", port: 5301, protocol: "Udp" }]);
    expect(log).toEqual(["answered 5301", "banner 5301"]);
  });
});

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import dgram from "node:dgram";
import { UDP_PAYLOADS, fromLatin1 } from "../../src/detect/index.ts";
import type { UdpAnswer, UdpExchange } from "../../src/detect/index.ts";
import type { PortResult, Probe, TechniqueContext } from "../../src/scan/technique.ts";
import { UdpTechnique } from "../../src/scan/udp.ts";
import { HOST, freePort, startDnsmasq } from "../detect/lab-services.ts";

interface Recorded {
  results: PortResult[];
  retries: { target: string; port: number; attempt: number; delayMs: number }[];
  warnings: { message: string; code: string }[];
  metrics: Map<string, number>;
}

function context(timeoutMs: number, maxRetries: number): { ctx: TechniqueContext; seen: Recorded } {
  const seen: Recorded = { results: [], retries: [], warnings: [], metrics: new Map() };
  const ctx: TechniqueContext = {
    signal: new AbortController().signal,
    pacer: { acquire: () => {} },
    maxRetries,
    timeoutMs,
    result: (r) => seen.results.push(r),
    metric: (name, value) => seen.metrics.set(name, (seen.metrics.get(name) ?? 0) + value),
    warning: (message, code) => seen.warnings.push({ message, code }),
    retry: (target, port, attempt, delayMs) => seen.retries.push({ target, port, attempt, delayMs }),
    checkpoint: () => {},
  };
  return { ctx, seen };
}

const stateOf = (seen: Recorded, port: number) => seen.results.filter((r) => r.port === port).map((r) => [r.state, r.reason]);

describe("UDP scan against real sockets on loopback", () => {
  let dns: Awaited<ReturnType<typeof startDnsmasq>>;
  let silent: dgram.Socket;
  let silentPort: number;

  beforeAll(async () => {
    dns = await startDnsmasq();
    silent = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => silent.bind(0, HOST, resolve));
    silentPort = silent.address().port;
  });
  afterAll(async () => {
    silent?.close();
    await dns?.stop();
  });

  test("dnsmasq answers: Open udp-response; a closed port: Closed icmp-unreach; a mute listener: OpenFiltered no-response", async () => {
    const closed = await freePort("udp");
    const dnsQuery = fromLatin1(UDP_PAYLOADS.find((p) => p.name === "DnsVersionBind")!.payload);
    const technique = new UdpTechnique({ payloadFor: (port) => (port === dns.port ? dnsQuery : new Uint8Array(0)) });
    const { ctx, seen } = context(300, 1);
    const probes: Probe[] = [dns.port, closed, silentPort].map((port) => ({ host: HOST, port }));
    await technique.scan(probes, ctx);
    technique.close();
    expect(stateOf(seen, dns.port)).toEqual([["Open", "udp-response"]]);
    expect(stateOf(seen, closed)).toEqual([["Closed", "icmp-unreach"]]);
    expect(stateOf(seen, silentPort)).toEqual([["OpenFiltered", "no-response"]]);
    expect(seen.results.every((r) => r.protocol === "Udp" && r.target === HOST)).toBe(true);
    expect(seen.results.find((r) => r.port === dns.port)!.rttMs).toBeGreaterThanOrEqual(0);
    expect(seen.retries.map((r) => r.port)).toEqual([silentPort]);
    expect(seen.metrics.get("packets_sent")).toBe(4);
  });
});

describe("UDP scan backs off when ICMP is rate limited", () => {
  /**
   * A host like Linux: every port closed except `mute` ones; it sends `burst`
   * port unreachables, then drops the first one owed to each further port
   * (the token bucket is empty) and sends it on the retry (refilled).
   */
  function rateLimitedHost(burst: number, mute: number[] = []) {
    let refusalsSent = 0;
    const dropped = new Set<number>();
    const asked: number[] = [];
    const exchange: UdpExchange = async (_host, port) => {
      asked.push(port);
      if (mute.includes(port)) return { kind: "silent" } satisfies UdpAnswer;
      if (refusalsSent < burst || dropped.has(port)) {
        refusalsSent++;
        return { kind: "refused", rttMs: 1 } satisfies UdpAnswer;
      }
      dropped.add(port);
      return { kind: "silent" } satisfies UdpAnswer;
    };
    return { exchange, asked };
  }

  test("a dropped refusal is retried after a back-off and reported Closed; the limit is confirmed once", async () => {
    const host = rateLimitedHost(2);
    const sleeps: number[] = [];
    const technique = new UdpTechnique({ exchange: host.exchange, backoffMs: 100, maxBackoffMs: 350, sleep: async (ms) => void sleeps.push(ms) });
    const { ctx, seen } = context(50, 0);
    await technique.scan([1, 2, 3, 4].map((port) => ({ host: "192.0.2.1", port })), ctx);
    for (const port of [1, 2, 3, 4]) expect(stateOf(seen, port)).toEqual([["Closed", "icmp-unreach"]]);
    expect(sleeps).toEqual([100, 100]);
    expect(seen.retries.map((r) => [r.port, r.attempt, r.delayMs])).toEqual([[3, 1, 100], [4, 1, 100]]);
    expect(seen.warnings.map((w) => w.code)).toEqual(["icmp-rate-limit"]);
  });

  test("on a confirmed rate-limited host a silent port gets three spaced retries before OpenFiltered", async () => {
    const host = rateLimitedHost(1, [9]);
    const sleeps: number[] = [];
    const technique = new UdpTechnique({ exchange: host.exchange, backoffMs: 100, maxBackoffMs: 350, sleep: async (ms) => void sleeps.push(ms) });
    const { ctx, seen } = context(50, 0);
    await technique.scan([1, 2].map((port) => ({ host: "192.0.2.1", port })), ctx);
    sleeps.length = 0;
    await technique.scan([{ host: "192.0.2.1", port: 9 }], ctx);
    expect(stateOf(seen, 9)).toEqual([["OpenFiltered", "no-response"]]);
    expect(host.asked.filter((p) => p === 9)).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 350]);
  });

  test("a host that never refused is not slowed: silence is OpenFiltered after maxRetries, without delays", async () => {
    const host = rateLimitedHost(0, [7]);
    const sleeps: number[] = [];
    const technique = new UdpTechnique({ exchange: host.exchange, sleep: async (ms) => void sleeps.push(ms) });
    const { ctx, seen } = context(50, 1);
    await technique.scan([{ host: "192.0.2.2", port: 7 }], ctx);
    expect(stateOf(seen, 7)).toEqual([["OpenFiltered", "no-response"]]);
    expect(host.asked).toEqual([7, 7]);
    expect(sleeps).toEqual([]);
    expect(seen.warnings).toEqual([]);
  });

  test("a silent host gets one retry per port whatever maxRetries is; one that replied at once on another port gets one too", async () => {
    const silentHost = rateLimitedHost(0, [7]);
    const technique = new UdpTechnique({ exchange: silentHost.exchange, sleep: async () => {} });
    const { ctx } = context(50, 10);
    await technique.scan([{ host: "192.0.2.2", port: 7 }], ctx);
    expect(silentHost.asked).toEqual([7, 7]);

    const asked: number[] = [];
    const replying = new UdpTechnique({
      exchange: async (_host, port) => {
        asked.push(port);
        return port === 53 ? { kind: "reply", bytes: new Uint8Array(1), rttMs: 1 } : { kind: "silent" };
      },
      sleep: async () => {},
      perHost: 1,
    });
    const second = context(50, 3);
    await replying.scan([{ host: "192.0.2.3", port: 53 }, { host: "192.0.2.3", port: 7 }], second.ctx);
    expect(asked).toEqual([53, 7, 7]);
  });

  test("a host whose answers needed retries earns silent ports as many more, up to maxRetries (nmap's rule)", async () => {
    // Port 53 answers only its second send (loss on the path); port 7 is silent.
    const asked: number[] = [];
    const lossy = new UdpTechnique({
      exchange: async (_host, port) => {
        asked.push(port);
        return port === 53 && asked.filter((p) => p === 53).length === 2 ? { kind: "reply", bytes: new Uint8Array(1), rttMs: 1 } : { kind: "silent" };
      },
      sleep: async () => {},
      perHost: 1,
    });
    const { ctx } = context(50, 10);
    await lossy.scan([{ host: "192.0.2.4", port: 53 }], ctx);
    await lossy.scan([{ host: "192.0.2.4", port: 7 }], ctx);
    expect(asked).toEqual([53, 53, 7, 7, 7]);
  });

  test("a closed port refused at once does not make a silent one wait out ten spaced retries", async () => {
    // 127.0.0.1 -sU -p SILENT,CLOSED took 28.5 s (10 retries, 0.5-2 s apart) where nmap takes ~1 s.
    const asked: number[] = [];
    const sleeps: number[] = [];
    const technique = new UdpTechnique({
      exchange: async (_host, port) => (asked.push(port), port === 2 ? { kind: "refused", rttMs: 1 } : { kind: "silent" }),
      sleep: async (ms) => void sleeps.push(ms),
      perHost: 1,
    });
    const { ctx, seen } = context(50, 10);
    await technique.scan([2, 9].map((port) => ({ host: "192.0.2.5", port })), ctx);
    expect(stateOf(seen, 9)).toEqual([["OpenFiltered", "no-response"]]);
    expect(asked).toEqual([2, 9, 9]);
    expect(sleeps).toEqual([500]);
  });

  test("an aborted scan stops sending", async () => {
    const host = rateLimitedHost(0);
    const technique = new UdpTechnique({ exchange: host.exchange });
    const { ctx } = context(50, 1);
    const controller = new AbortController();
    controller.abort();
    await technique.scan([{ host: "192.0.2.3", port: 1 }], { ...ctx, signal: controller.signal });
    expect(host.asked).toEqual([]);
  });
});

describe("UDP payload table", () => {
  test("covers DNS, NTP, SNMP, NetBIOS, SSDP and mDNS", () => {
    const ports = UDP_PAYLOADS.flatMap((p) => p.ports);
    for (const port of [53, 123, 161, 137, 1900, 5353]) expect(ports).toContain(port);
  });

  test("the SNMP request's BER lengths add up", () => {
    const snmp = UDP_PAYLOADS.find((p) => p.ports.includes(161))!.payload;
    expect(snmp.charCodeAt(1) + 2).toBe(snmp.length);
  });

  test("the NTP request is a 48-byte version 4 client packet", () => {
    const ntp = fromLatin1(UDP_PAYLOADS.find((p) => p.ports.includes(123))!.payload);
    expect(ntp.length).toBe(48);
    expect([(ntp[0]! >> 3) & 7, ntp[0]! & 7]).toEqual([4, 3]);
  });
});

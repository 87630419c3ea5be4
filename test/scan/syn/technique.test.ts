import { describe, expect, test } from "bun:test";
import { parseIp } from "../../../src/net/index.ts";
import fc from "fast-check";
import { halfSipHash, halfSipHash3 } from "../../../src/scan/syn/cookie.ts";
import { SynCookies, SynTechnique } from "../../../src/scan/syn/index.ts";
import type { PortResult, Probe, TechniqueContext } from "../../../src/scan/technique.ts";
import { FakeNet, fakeSystem, tcpReply, VirtualWaiter, type FakeNetOptions } from "./fake-net.ts";

const SECRET = Uint8Array.from({ length: 16 }, (_, i) => i * 7 + 1);

interface Run {
  results: PortResult[];
  metrics: Record<string, number>;
  warnings: string[];
  retries: [string, number, number][];
  net: FakeNet;
  technique: SynTechnique;
  waiter: VirtualWaiter;
}

async function scan(options: FakeNetOptions, probes: Probe[], maxRetries = 2, before?: (net: FakeNet) => void, pauseEvery = 0): Promise<Run> {
  const net = new FakeNet(options);
  before?.(net);
  const waiter = new VirtualWaiter();
  let acquired = 0;
  const technique = new SynTechnique({ openLink: () => net, net: fakeSystem, waiter, secret: SECRET, sourcePorts: { first: 50000, count: 16 }, resolveWaitMs: 100 });
  const run: Run = { results: [], metrics: {}, warnings: [], retries: [], net, technique, waiter };
  const ctx: TechniqueContext = {
    signal: new AbortController().signal,
    // pauseEvery > 0: a rate cap's pause every that many probes, so timeouts fall due while probes are still being sent.
    pacer: { acquire: () => (pauseEvery > 0 && ++acquired % pauseEvery === 0 ? waiter.sleep(100) : undefined) },
    maxRetries,
    timeoutMs: 1000,
    result: (r) => run.results.push(r),
    metric: (name, value) => void (run.metrics[name] = value),
    warning: (message) => void run.warnings.push(message),
    retry: (target, port, attempt) => void run.retries.push([target, port, attempt]),
    checkpoint: () => undefined,
  };
  await technique.scan(probes, ctx);
  technique.close();
  return run;
}

const verdicts = (r: PortResult[]) => r.map((x) => `${x.target}:${x.port} ${x.state} ${x.reason}`).sort();
const probe = (host: string, ...ports: number[]) => ports.map((port) => ({ host, port }));

describe("SYN technique", () => {
  test("SYN-ACK is Open, RST is Closed, silence is Filtered, ICMP unreachable is Filtered", async () => {
    const run = await scan({ hosts: { "198.18.0.10": { 22: "open", 80: "open", 81: "drop", 82: "icmp" } } }, probe("198.18.0.10", 22, 23, 80, 81, 82));
    expect(verdicts(run.results)).toEqual([
      "198.18.0.10:22 Open syn-ack",
      "198.18.0.10:23 Closed rst",
      "198.18.0.10:80 Open syn-ack",
      "198.18.0.10:81 Filtered no-response",
      "198.18.0.10:82 Filtered icmp-unreach",
    ]);
  });

  test("every probe is reported exactly once", async () => {
    const ports = Array.from({ length: 300 }, (_, i) => i + 1);
    const hosts = { "198.18.0.10": Object.fromEntries(ports.map((p) => [p, p % 3 === 0 ? "open" : p % 3 === 1 ? "drop" : "closed"])) } as FakeNetOptions["hosts"];
    const run = await scan({ hosts }, probe("198.18.0.10", ...ports), 1);
    expect(run.results.map((r) => r.port).sort((a, b) => a - b)).toEqual(ports);
    expect(run.results.filter((r) => r.state === "Open").length).toBe(100);
  });

  test("an open port gets a RST so the target drops the half-open connection", async () => {
    const run = await scan({ hosts: { "198.18.0.10": { 443: "open" } } }, probe("198.18.0.10", 443, 444));
    expect(run.net.rsts).toEqual(["198.18.0.10|443"]);
  });

  test("the SYN-ACK's TTL, window and option order are kept for OS detection", async () => {
    const run = await scan({ hosts: { "198.18.0.10": { 22: "open" } } }, probe("198.18.0.10", 22));
    expect(run.results[0]?.synAck).toEqual({ ttl: 64, window: 64240, options: ["MSS", "SACK_PERMITTED", "TIMESTAMP", "NOP", "WSCALE"], mss: 1460, windowScale: 7 });
  });

  test("only unanswered probes are retried, up to maxRetries", async () => {
    const run = await scan({ hosts: { "198.18.0.10": { 22: "open", 81: "drop" } }, loseFirst: { "198.18.0.10|22": 2 } }, probe("198.18.0.10", 22, 23, 81), 2);
    expect(Object.fromEntries(run.net.syns)).toEqual({ "198.18.0.10|22": 3, "198.18.0.10|23": 1, "198.18.0.10|81": 3 });
    expect(verdicts(run.results)).toEqual(["198.18.0.10:22 Open syn-ack", "198.18.0.10:23 Closed rst", "198.18.0.10:81 Filtered no-response"]);
    expect(run.retries).toEqual(
      expect.arrayContaining([
        ["198.18.0.10", 22, 2],
        ["198.18.0.10", 22, 3],
        ["198.18.0.10", 81, 2],
        ["198.18.0.10", 81, 3],
      ]),
    );
    expect(run.retries.length).toBe(4);
  });

  test("a host that answers nothing gets one retry per port whatever maxRetries is; one that answered gets them all", async () => {
    const silent = { 1: "drop", 2: "drop", 3: "drop" } as const;
    const run = await scan(
      { hosts: { "198.18.0.20": silent, "198.18.0.10": { 22: "open", 81: "drop" } } },
      [...probe("198.18.0.20", 1, 2, 3), ...probe("198.18.0.10", 22, 81)],
      10,
    );
    expect(Object.fromEntries(run.net.syns)).toEqual({
      "198.18.0.20|1": 2,
      "198.18.0.20|2": 2,
      "198.18.0.20|3": 2,
      "198.18.0.10|22": 1,
      "198.18.0.10|81": 11,
    });
    expect(verdicts(run.results)).toEqual([
      "198.18.0.10:22 Open syn-ack",
      "198.18.0.10:81 Filtered no-response",
      "198.18.0.20:1 Filtered no-response",
      "198.18.0.20:2 Filtered no-response",
      "198.18.0.20:3 Filtered no-response",
    ]);
  });

  test("a reply whose ack does not match the cookie is ignored and counted as spoofed", async () => {
    const src = parseIp("198.18.0.10")!;
    const dst = parseIp("198.18.0.1")!;
    const run = await scan({ hosts: { "198.18.0.10": { 81: "drop" } } }, probe("198.18.0.10", 81), 0, (net) => {
      for (let port = 50000; port < 50016; port++) net.arrive(tcpReply({ src, dst, srcPort: 81, dstPort: port, ack: 12345 }, 0x12));
    });
    expect(verdicts(run.results)).toEqual(["198.18.0.10:81 Filtered no-response"]);
    expect(run.technique.counters.spoofed).toBe(16);
  });

  test("RSTs read on the fast path check the cookie too: spoofed ones and a repeated one are counted, not reported", async () => {
    const src = parseIp("198.18.0.10")!;
    const dst = parseIp("198.18.0.1")!;
    const run = await scan({ hosts: { "198.18.0.10": { 81: "drop" } }, twice: ["198.18.0.10|82"] }, probe("198.18.0.10", 81, 82), 0, (net) => {
      for (let port = 50000; port < 50016; port++) net.arrive(tcpReply({ src, dst, srcPort: 81, dstPort: port, ack: 12345 }, 0x14));
    });
    expect(verdicts(run.results)).toEqual(["198.18.0.10:81 Filtered no-response", "198.18.0.10:82 Closed rst"]);
    expect(run.technique.counters.spoofed).toBe(16);
    expect(run.technique.counters.unsolicited).toBe(1);
  });

  test("a RST whose IP total length runs past the capture is rejected by the full decoder, not read on the fast path", async () => {
    const src = parseIp("198.18.0.10")!;
    const dst = parseIp("198.18.0.1")!;
    const run = await scan({ hosts: { "198.18.0.10": { 81: "drop" } } }, probe("198.18.0.10", 81), 0, (net) => {
      const rst = tcpReply({ src, dst, srcPort: 81, dstPort: 50000, ack: 1 }, 0x14);
      rst[17] = 200; // total length 200 in a 54-byte frame
      net.arrive(rst);
    });
    expect(verdicts(run.results)).toEqual(["198.18.0.10:81 Filtered no-response"]);
    expect(run.technique.rejects.total).toBe(1);
    expect(run.technique.counters.replies).toBe(0);
  });

  test("replies handed as offsets into a shared buffer give the same verdicts as whole frames", async () => {
    const hosts = { "198.18.0.10": { 22: "open", 80: "open", 81: "drop", 82: "icmp" } } as const;
    const ports = [21, 22, 23, 80, 81, 82, 443];
    const whole = await scan({ hosts }, probe("198.18.0.10", ...ports), 0);
    const shared = await scan({ hosts, sharedBuffer: true }, probe("198.18.0.10", ...ports), 0);
    expect(verdicts(shared.results)).toEqual(verdicts(whole.results));
    expect(shared.results.find((r) => r.port === 22)?.synAck).toEqual(whole.results.find((r) => r.port === 22)!.synAck!);
    expect(verdicts(shared.results)).toContain("198.18.0.10:82 Filtered icmp-unreach");
    expect(shared.technique.rejects.total).toBe(0);
  });

  test("with batched sends every probe goes out in batches and gets its verdict", async () => {
    const ports = Array.from({ length: 100 }, (_, i) => i + 1);
    const run = await scan({ hosts: { "198.18.0.10": { 22: "open", 80: "open", 81: "drop" } }, batch: 8 }, probe("198.18.0.10", ...ports), 1);
    expect(run.results.length).toBe(100);
    expect(verdicts(run.results).filter((v) => !v.endsWith("Closed rst"))).toEqual([
      "198.18.0.10:22 Open syn-ack",
      "198.18.0.10:80 Open syn-ack",
      "198.18.0.10:81 Filtered no-response",
    ]);
    expect(run.net.syns.size).toBe(100);
    expect(run.net.syns.get("198.18.0.10|81")).toBe(2);
    expect(Math.max(...run.net.batch!.flushes)).toBe(8);
    expect(run.net.batch!.queued).toBe(0);
  });

  test("a batched probe is sent before the scan waits for the pacer", async () => {
    const net = new FakeNet({ hosts: { "198.18.0.10": {} }, batch: 64 });
    const waiter = new VirtualWaiter();
    const technique = new SynTechnique({ openLink: () => net, net: fakeSystem, waiter, secret: SECRET, sourcePorts: { first: 50000, count: 16 } });
    const queuedAtWait: number[] = [];
    let calls = 0;
    const ctx: TechniqueContext = {
      signal: new AbortController().signal,
      // Every second probe waits for a token; what is still queued is looked at once the wait began.
      pacer: { acquire: () => (++calls % 2 === 0 ? Promise.resolve().then(() => void queuedAtWait.push(net.batch!.queued)) : undefined) },
      maxRetries: 0,
      timeoutMs: 1000,
      result: () => {},
      metric: () => {},
      warning: () => {},
      retry: () => {},
      checkpoint: () => undefined,
    };
    await technique.scan(probe("198.18.0.10", 1, 2, 3, 4, 5, 6), ctx);
    expect(queuedAtWait.length).toBe(3);
    expect(queuedAtWait.every((n) => n === 0)).toBe(true);
    expect(net.syns.size).toBe(6);
  });

  test("a reply for a port never probed is not reported: its ack names no attempt sent there", async () => {
    const src = parseIp("198.18.0.10")!;
    const dst = parseIp("198.18.0.1")!;
    // The right cookie for port 9999, as a reply to a SYN carrying no attempt number would have it.
    const cookie = new SynCookies(SECRET).cookie(dst, src, 50003, 9999);
    const run = await scan({ hosts: { "198.18.0.10": {} } }, probe("198.18.0.10", 1), 0, (net) => {
      net.arrive(tcpReply({ src, dst, srcPort: 9999, dstPort: 50003, ack: cookie + 1 }, 0x12));
    });
    expect(run.technique.counters.spoofed).toBe(1);
    expect(verdicts(run.results)).toEqual(["198.18.0.10:1 Closed rst"]);
  });

  test("a second reply to a probe already decided is counted as unsolicited, and the port reported once", async () => {
    const run = await scan({ hosts: { "198.18.0.10": { 22: "open", 23: "icmp" } }, twice: ["198.18.0.10|22", "198.18.0.10|23"] }, probe("198.18.0.10", 22, 23), 0);
    expect(verdicts(run.results)).toEqual(["198.18.0.10:22 Open syn-ack", "198.18.0.10:23 Filtered icmp-unreach"]);
    expect(run.technique.counters.unsolicited).toBe(2);
    expect(run.technique.counters.spoofed).toBe(0);
  });

  test("probes decided while others are still being sent: each port once, with its own verdict", async () => {
    // Timeouts fall due mid-scan, so decided probes' state is reused for later ones while replies,
    // repeated replies and late replies to first SYNs keep arriving.
    // More than one round's 4,096 admissions: the first ones wait for ARP together, later ones reuse state.
    const ports = Array.from({ length: 8000 }, (_, i) => i + 1);
    const behaviour = (p: number) => (p % 5 === 0 ? "open" : p % 5 === 1 ? "closed" : p % 5 === 2 ? "icmp" : "drop");
    const hosts = { "198.18.0.10": Object.fromEntries(ports.map((p) => [p, behaviour(p)])) } as FakeNetOptions["hosts"];
    const twice = ports.filter((p) => p % 7 === 0).map((p) => `198.18.0.10|${p}`);
    const lateFirst = ports.filter((p) => p % 11 === 0 && p % 5 === 0).map((p) => `198.18.0.10|${p}`);
    const run = await scan({ hosts, twice, lateFirst }, probe("198.18.0.10", ...ports), 1, undefined, 50);
    const expected = ports.map((p) => {
      const b = behaviour(p);
      const verdict = b === "open" ? "Open syn-ack" : b === "closed" ? "Closed rst" : b === "icmp" ? "Filtered icmp-unreach" : "Filtered no-response";
      return `198.18.0.10:${p} ${verdict}`;
    });
    expect(verdicts(run.results)).toEqual(expected.sort());
    expect(run.technique.counters.spoofed).toBe(0);
  });

  test("a reply to a probe's first SYN still decides it after the retry went out", async () => {
    // The target answers the first SYN only once the second has left (a slow path, not a lost SYN).
    const run = await scan({ hosts: { "198.18.0.10": { 22: "open" } }, lateFirst: ["198.18.0.10|22"] }, probe("198.18.0.10", 22), 2);
    expect(run.net.syns.get("198.18.0.10|22")).toBe(2);
    expect(verdicts(run.results)).toEqual(["198.18.0.10:22 Open syn-ack"]);
    expect(run.technique.counters.spoofed).toBe(0);
  });

  test("next hops are resolved once by ARP, IPv6 ones by NDP", async () => {
    const run = await scan(
      { hosts: { "198.18.0.10": { 22: "open" }, "2001:db8::10": { 22: "open" } } },
      [...probe("198.18.0.10", 22, 23, 24), ...probe("2001:db8::10", 22, 23)],
    );
    expect(run.net.arpRequests).toBe(1);
    expect(verdicts(run.results)).toEqual([
      "198.18.0.10:22 Open syn-ack",
      "198.18.0.10:23 Closed rst",
      "198.18.0.10:24 Closed rst",
      "2001:db8::10:22 Open syn-ack",
      "2001:db8::10:23 Closed rst",
    ]);
  });

  test("a host that never answers ARP is Filtered with one warning and no SYN sent", async () => {
    const run = await scan({ hosts: { "198.18.0.20": {} }, silent: ["198.18.0.20"] }, probe("198.18.0.20", 1, 2));
    expect(verdicts(run.results)).toEqual(["198.18.0.20:1 Filtered no-response", "198.18.0.20:2 Filtered no-response"]);
    expect(run.net.syns.size).toBe(0);
    expect(run.net.arpRequests).toBe(3);
    expect(run.warnings).toEqual(["no ARP answer from 198.18.0.20: its hosts are reported filtered"]);
  });

  test("the capture filter admits our source ports only, and pcap stats become metrics", async () => {
    const run = await scan({ hosts: { "198.18.0.10": {} } }, probe("198.18.0.10", 1));
    expect(run.net.filters).toEqual(["(tcp and dst portrange 50000-50015) or (icmp and (icmp[0] == 3 or icmp[0] == 11)) or arp or icmp6"]);
    expect(run.metrics).toEqual({ packets_sent: 1, packets_received: 42, packets_dropped: 1 });
    expect(run.net.closed).toBe(true);
  });

  test("an aborted scan stops sending", async () => {
    const net = new FakeNet({ hosts: { "198.18.0.10": {} } });
    const controller = new AbortController();
    const technique = new SynTechnique({ openLink: () => net, net: fakeSystem, waiter: new VirtualWaiter(), secret: SECRET });
    let sent = 0;
    const ctx: TechniqueContext = {
      signal: controller.signal,
      pacer: { acquire: () => (++sent === 10 ? controller.abort() : undefined) },
      maxRetries: 0,
      timeoutMs: 100,
      result: () => {},
      metric: () => {},
      warning: () => {},
      retry: () => {},
      checkpoint: () => undefined,
    };
    await technique.scan(probe("198.18.0.10", ...Array.from({ length: 1000 }, (_, i) => i + 1)), ctx);
    expect([...net.syns.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10);
  });
});

describe("SYN cookies", () => {
  test("HalfSipHash-2-4 matches the reference vector for the empty message", () => {
    // Key 00 01 .. 07, empty input: a9 35 9f 5b in the reference's vectors_hsip32.
    expect(halfSipHash(0x03020100, 0x07060504, new Uint32Array(0), 0)).toBe(0x5b9f35a9);
  });

  test("the three-word HalfSipHash equals the general one, and IPv4 cookies from numbers equal those from bytes", () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(u32, u32, u32, u32, u32, (k0, k1, a, b, c) => {
        expect(halfSipHash3(k0, k1, a, b, c)).toBe(halfSipHash(k0, k1, Uint32Array.from([a, b, c]), 3));
      }),
    );
    const cookies = new SynCookies(SECRET);
    fc.assert(
      fc.property(u32, u32, fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }), (src, dst, sp, dp) => {
        const bytes = (n: number) => Uint8Array.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
        expect(cookies.cookieV4(src, dst, sp, dp)).toBe(cookies.cookie(bytes(src), bytes(dst), sp, dp));
      }),
    );
  });

  test("the cookie depends on the secret, both addresses and both ports", () => {
    const a = parseIp("198.18.0.1")!;
    const b = parseIp("198.18.0.10")!;
    const c = new SynCookies(SECRET);
    const base = c.cookie(a, b, 50000, 80);
    expect(c.cookie(a, b, 50000, 80)).toBe(base);
    const variants = [
      c.cookie(b, a, 50000, 80),
      c.cookie(a, parseIp("198.18.0.11")!, 50000, 80),
      c.cookie(a, b, 50001, 80),
      c.cookie(a, b, 50000, 81),
      new SynCookies(SECRET.map((x) => x ^ 1)).cookie(a, b, 50000, 80),
      c.cookie(parseIp("2001:db8::1")!, parseIp("2001:db8::10")!, 50000, 80),
    ];
    for (const v of variants) expect(v).not.toBe(base);
  });

  test("cookies spread over the 32-bit space", () => {
    const c = new SynCookies(SECRET);
    const a = parseIp("198.18.0.1")!;
    const b = parseIp("198.18.0.10")!;
    const seen = new Set<number>();
    const buckets = new Array(16).fill(0);
    for (let port = 1; port <= 4096; port++) {
      const v = c.cookie(a, b, 50000, port);
      seen.add(v);
      buckets[v >>> 28]++;
    }
    expect(seen.size).toBe(4096);
    for (const n of buckets) expect(n).toBeGreaterThan(180);
  });
});

import { describe, expect, test } from "bun:test";
import { EventFactory, type ScanType } from "../../src/events/index.ts";
import { ConnectTechnique, planTargets, type Technique, UdpTechnique } from "../../src/scan/index.ts";
import { SynTechnique } from "../../src/scan/syn/index.ts";
import { engineHarness } from "./helpers.ts";
import { FakeNet, fakeSystem } from "./syn/fake-net.ts";
import { VirtualTime } from "./virtual-time.ts";

// The rate a scan reports under --max-rate is the rate its probes leave at.
// Connect and UDP scans run hundreds of probes at once, each waiting for the
// token bucket: the audit saw ProgressUpdate pps at 3-10x the cap, then 0
// while probes still went out, and RateLimitTriggered at 3x its target.

const CAP = 100;
const PORTS = Array.from({ length: 300 }, (_, i) => i + 1);

async function throttledScan(scanType: ScanType, targets: string[], make: (vt: VirtualTime) => Technique) {
  const vt = new VirtualTime();
  const h = engineHarness(
    { targets: planTargets(targets, []), ports: PORTS, scanType, technique: make(vt), maxRate: CAP },
    { clock: vt, sleep: vt.sleep, ticker: vt.ticker, factory: new EventFactory("00000000-0000-4000-8000-000000000000", { now: vt.now }) },
  );
  await vt.drive(h.engine.run());
  const stamp = (e: Record<string, unknown>) => e.timestamp as number;
  const found = h.of("PortFound").map(stamp);
  const lastFound = Math.max(...found);
  const scanning = h.of("ProgressUpdate").filter((e) => e.stage === 3 && stamp(e) <= lastFound);
  return { h, scanning, lastFound, rateLimits: h.of("RateLimitTriggered") };
}

const within = (rate: number) => rate >= CAP * 0.95 && rate <= CAP * 1.05;

function expectHonestRates(run: Awaited<ReturnType<typeof throttledScan>>) {
  // 300 probes at 100/s: about 3 s of sending, a ProgressUpdate every 250 ms.
  expect(run.lastFound).toBeGreaterThanOrEqual(2900);
  expect(run.scanning.length).toBeGreaterThanOrEqual(10);
  expect(run.scanning.map((e) => e.pps).filter((pps) => !within(pps as number))).toEqual([]);
  expect(run.rateLimits.length).toBeGreaterThanOrEqual(1);
  for (const rl of run.rateLimits) {
    expect(rl.target_rate).toBe(CAP);
    expect(within(rl.current_rate as number)).toBe(true);
    // Wall time the bucket held sends back since the last report (at most a report's interval), not every waiter's wait summed.
    expect(rl.duration_ms as number).toBeGreaterThan(0);
    expect(rl.duration_ms as number).toBeLessThanOrEqual(1000);
  }
}

describe("reported rate under --max-rate", () => {
  test("a connect scan with 256 workers reports pps within 5% of the cap until its last probe, never 0", async () => {
    const run = await throttledScan("Connect", ["127.0.0.1"], (vt) => new ConnectTechnique({ concurrency: 256, minTimeoutMs: 100, maxTimeoutMs: 1000, clock: vt, dial: async () => "refused" }));
    expectHonestRates(run);
  });

  test("a UDP scan with 256 probes in flight reports pps within 5% of the cap, and RateLimitTriggered's current_rate too", async () => {
    const run = await throttledScan(
      "Udp",
      ["127.0.0.1"],
      (vt) =>
        new UdpTechnique({
          concurrency: 256,
          perHost: 256,
          exchange: async () => ({ kind: "refused", rttMs: 1 }),
          sleep: (ms) => vt.sleep(ms),
        }),
    );
    expectHonestRates(run);
  });

  test("a SYN scan reports pps within 5% of the cap", async () => {
    const run = await throttledScan("Syn", ["198.18.0.10"], (vt) => {
      const net = new FakeNet({ hosts: { "198.18.0.10": { 22: "open" } } });
      return new SynTechnique({ openLink: () => net, net: fakeSystem, waiter: vt, secret: new Uint8Array(16).fill(7), sourcePorts: { first: 50000, count: 16 }, resolveWaitMs: 100 });
    });
    expectHonestRates(run);
  });
});

describe("RateLimitTriggered at the end of sending", () => {
  test("a rate-limited scan reports its last stretch of throttling when its sending ends, not only once a second", async () => {
    const run = await throttledScan("Connect", ["127.0.0.1"], (vt) => new ConnectTechnique({ concurrency: 256, minTimeoutMs: 100, maxTimeoutMs: 1000, clock: vt, dial: async () => "refused" }));
    const last = run.rateLimits.at(-1)!;
    // The cap held sends back from the first probe to the last: every millisecond of that is reported, the last ones too.
    expect(last.timestamp as number).toBeGreaterThanOrEqual(run.lastFound);
    const reported = run.rateLimits.reduce((ms, rl) => ms + (rl.duration_ms as number), 0);
    expect(reported).toBeGreaterThanOrEqual(run.lastFound - 20);
    expect(reported).toBeLessThanOrEqual(run.lastFound + 20);
    expect(within(last.current_rate as number)).toBe(true);
    // Reported before detection and the scan's end.
    const stamp = (e: Record<string, unknown>) => e.seq as number;
    expect(stamp(last)).toBeLessThan(stamp(run.h.of("ScanCompleted")[0]!));
  });

  test("an unthrottled scan publishes no RateLimitTriggered at its end", async () => {
    const vt = new VirtualTime();
    const h = engineHarness(
      { targets: planTargets(["127.0.0.1"], []), ports: PORTS, technique: new ConnectTechnique({ concurrency: 256, minTimeoutMs: 100, maxTimeoutMs: 1000, clock: vt, dial: async () => "refused" }) },
      { clock: vt, sleep: vt.sleep, ticker: vt.ticker },
    );
    await vt.drive(h.engine.run());
    expect(h.of("PortFound")).toHaveLength(PORTS.length);
    expect(h.of("RateLimitTriggered")).toEqual([]);
  });
});

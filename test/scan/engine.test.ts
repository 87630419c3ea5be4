import { describe, expect, test } from "bun:test";
import { EventFactory } from "../../src/events/index.ts";
import {
  type HostDiscovery,
  type Probe,
  type ScanPlan,
  type Technique,
  type TechniqueContext,
  outstandingEstimate,
  planTargets,
} from "../../src/scan/index.ts";
import { engineHarness } from "./helpers.ts";

/** Answers from a rule; can hold between probes on a promise the test releases. */
class FakeTechnique implements Technique {
  readonly name = "connect" as const;
  seen: Probe[] = [];
  closed = false;
  gate: Promise<void> | null = null;
  constructor(private readonly rule: (p: Probe) => "Open" | "Closed" | "Filtered" = (p) => (p.port === 22 ? "Open" : "Closed")) {}
  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    for (const p of probes) {
      await ctx.checkpoint();
      if (ctx.signal.aborted) return;
      await ctx.pacer.acquire(1);
      if (this.gate) await this.gate;
      if (ctx.signal.aborted) return;
      this.seen.push(p);
      const state = this.rule(p);
      if (state === "Filtered") ctx.retry(p.host, p.port, 2, 0);
      ctx.result({
        target: p.host,
        port: p.port,
        protocol: "Tcp",
        state,
        reason: state === "Open" ? "connect" : state === "Closed" ? "rst" : "no-response",
        rttMs: 1,
      });
    }
    ctx.metric("packets_sent", this.seen.length);
  }
  close(): void {
    this.closed = true;
  }
}

class FakeDiscovery implements HostDiscovery {
  constructor(private readonly up: Set<string>) {}
  async discover(hosts: Iterable<string>, ctx: Parameters<HostDiscovery["discover"]>[1]): Promise<void> {
    for (const h of hosts) {
      if (this.up.has(h)) ctx.up(h, "TCP", 0.5);
      ctx.done(h);
    }
  }
}

function setup(over: Partial<ScanPlan> = {}, targets = ["198.18.0.1-4"], ports = [21, 22, 23], hold: { promise?: Promise<void> } = {}) {
  let now = 0;
  let turns = 0;
  const technique = (over.technique as FakeTechnique | undefined) ?? new FakeTechnique();
  const h = engineHarness(
    { targets: planTargets(targets, []), ports, ...over, technique },
    {
      nextTurn: async () => {
        turns++;
      },
      backpressure: () => hold.promise ?? undefined,
      factory: new EventFactory("00000000-0000-4000-8000-000000000000", { now: () => now }),
      clock: { now: () => now },
      sleep: async (ms) => {
        now += ms;
      },
    },
  );
  return {
    ...h,
    technique,
    advance: (ms: number) => {
      now += ms;
    },
    turns: () => turns,
  };
}

describe("scan engine", () => {
  test("publishes ScanStarted, the five stages in order, every result and ScanCompleted", async () => {
    const s = setup();
    const outcome = await s.engine.run();
    expect(s.events[0]!.event).toBe("ScanStarted");
    expect(s.events[0]).toMatchObject({ scan_type: "Connect", target_count: 4, port_count: 3 });
    expect(s.of("StageChanged").map((e) => [e.from, e.to, e.stage])).toEqual([
      [null, "TargetResolution", 1],
      ["TargetResolution", "HostDiscovery", 2],
      ["HostDiscovery", "PortScanning", 3],
      ["PortScanning", "ServiceDetection", 4],
      ["ServiceDetection", "Finalization", 5],
    ]);
    expect(s.of("PortFound")).toHaveLength(12);
    const done = s.of("ScanCompleted");
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ targets_scanned: 4, ports_scanned: 12, hosts_up: 4, open_ports: 4, closed_ports: 8, filtered_ports: 0 });
    expect(s.events[s.events.length - 1]!.event).toBe("ScanCompleted");
    expect(outcome.cancelled).toBe(false);
    expect(s.technique.closed).toBe(true);
  });

  test("every (host, port) is probed exactly once, in a scrambled order", async () => {
    const s = setup({}, ["198.18.0.0/28"], [20, 21, 22, 23, 24, 25, 26, 27]);
    await s.engine.run();
    const keys = s.technique.seen.map((p) => `${p.host}:${p.port}`);
    expect(new Set(keys).size).toBe(128);
    const sortedKeys = [...keys].sort();
    expect(keys).not.toEqual(sortedKeys);
  });

  test("--seed repeats the order; shards split it with no overlap", async () => {
    const order = async (over: Partial<ScanPlan>) => {
      const s = setup({ technique: new FakeTechnique(), ...over }, ["198.18.0.0/29"], [1, 2, 3, 4, 5]);
      await s.engine.run();
      return s.technique.seen.map((p) => `${p.host}:${p.port}`);
    };
    expect(await order({ seed: 9 })).toEqual(await order({ seed: 9 }));
    const a = await order({ seed: 9, shard: { index: 1, count: 2 } });
    const b = await order({ seed: 9, shard: { index: 2, count: 2 } });
    expect(a.length + b.length).toBe(40);
    expect(new Set([...a, ...b]).size).toBe(40);
  });

  test("excluded hosts are never probed, in discovery or port scanning", async () => {
    const probed: string[] = [];
    const discovery: HostDiscovery = {
      async discover(hosts, ctx) {
        for (const h of hosts) {
          probed.push(h);
          ctx.up(h, "TCP", 1);
          ctx.done(h);
        }
      },
    };
    const s = setup({ discovery, targets: planTargets(["198.18.0.0/29"], ["198.18.0.3", "198.18.0.6-7"]) });
    await s.engine.run();
    const scanned = new Set(s.technique.seen.map((p) => p.host));
    for (const excluded of ["198.18.0.3", "198.18.0.6", "198.18.0.7"]) {
      expect(probed).not.toContain(excluded);
      expect(scanned.has(excluded)).toBe(false);
    }
    expect(scanned.size).toBe(5);
  });

  test("IPv6 results are IPv6PortFound", async () => {
    const s = setup({}, ["2001:db8::1"], [22]);
    await s.engine.run();
    expect(s.of("IPv6PortFound")).toHaveLength(1);
    expect(s.of("PortFound")).toHaveLength(0);
  });

  test("discovery reports hosts up and only those are port-scanned", async () => {
    const s = setup({ discovery: new FakeDiscovery(new Set(["198.18.0.2"])) });
    await s.engine.run();
    expect(s.of("HostDiscovered").map((e) => e.ip)).toEqual(["198.18.0.2"]);
    expect(new Set(s.technique.seen.map((p) => p.host))).toEqual(new Set(["198.18.0.2"]));
    expect(s.of("ScanCompleted")[0]).toMatchObject({ hosts_up: 1, ports_scanned: 3 });
  });

  test("no host up: a warning, no port probes", async () => {
    const s = setup({ discovery: new FakeDiscovery(new Set()) });
    await s.engine.run();
    expect(s.technique.seen).toHaveLength(0);
    expect(s.of("WarningIssued").map((e) => e.code)).toContain("hosts-down");
  });

  test("-sn discovers without scanning ports", async () => {
    const s = setup({ discovery: new FakeDiscovery(new Set(["198.18.0.1"])), pingOnly: true });
    await s.engine.run();
    expect(s.technique.seen).toHaveLength(0);
    expect(s.of("HostDiscovered")).toHaveLength(1);
  });

  test("a name that does not resolve is a warning, not a failure", async () => {
    const s = setup({ resolver: async () => Promise.reject(new Error("ENOTFOUND")) }, ["nowhere.test", "198.18.0.1"], [22]);
    await s.engine.run();
    expect(s.of("WarningIssued").map((e) => e.code)).toContain("unresolved-target");
    expect(s.of("ScanCompleted")[0]).toMatchObject({ targets_scanned: 1 });
  });

  test("retries and metrics from the technique become events", async () => {
    const s = setup({ technique: new FakeTechnique(() => "Filtered") }, ["198.18.0.1"], [80]);
    await s.engine.run();
    expect(s.of("RetryScheduled")[0]).toMatchObject({ target: "198.18.0.1", port: 80, attempt: 2 });
    expect(s.of("MetricRecorded")[0]).toMatchObject({ metric: "packets_sent", value: 1 });
    expect(s.of("ScanCompleted")[0]).toMatchObject({ filtered_ports: 1 });
  });

  test("with -Pn every target scanned counts as up, answered or not, as nmap counts them", async () => {
    const s = setup({ technique: new FakeTechnique((p) => (p.host === "198.18.0.1" ? "Open" : "Filtered")) }, ["198.18.0.1-3"], [80]);
    const outcome = await s.engine.run();
    expect(s.of("ScanCompleted")[0]).toMatchObject({ targets_scanned: 3, hosts_up: 3, open_ports: 1, filtered_ports: 2 });
    expect(outcome.hostsUp).toBe(3);
  });

  test("progress every tick: percentage never decreases nor passes 100, ends at 100", async () => {
    let release!: () => void;
    const technique = new FakeTechnique();
    technique.gate = new Promise((r) => (release = r));
    const s = setup({ technique }, ["198.18.0.0/24"], [22, 80]);
    const run = s.engine.run();
    for (let i = 0; i < 3; i++) {
      s.advance(250);
      s.tick();
      await Bun.sleep(0);
    }
    release();
    technique.gate = null;
    await run;
    const updates = s.of("ProgressUpdate");
    expect(updates.length).toBeGreaterThanOrEqual(4);
    const pct = updates.map((u) => u.percentage as number);
    for (let i = 1; i < pct.length; i++) expect(pct[i]!).toBeGreaterThanOrEqual(pct[i - 1]!);
    expect(Math.max(...pct)).toBeLessThanOrEqual(100);
    expect(pct[pct.length - 1]).toBe(100);
    for (const u of updates) {
      for (const k of ["pps", "ports_per_sec", "hosts_per_min", "bandwidth_bps"]) expect(typeof u[k]).toBe("number");
      expect(u.completed as number).toBeLessThanOrEqual(u.total as number);
    }
  });

  test("pause holds probes, resume releases them, both are published", async () => {
    const s = setup({}, ["198.18.0.1"], [1, 2, 3, 4]);
    s.engine.pause();
    expect(s.engine.paused).toBe(true);
    const run = s.engine.run();
    await Bun.sleep(5);
    expect(s.technique.seen).toHaveLength(0);
    s.advance(1500);
    s.engine.resume();
    await run;
    expect(s.technique.seen).toHaveLength(4);
    expect(s.of("ScanPaused")[0]).toMatchObject({ reason: "user_requested" });
    expect(s.of("ScanResumed")[0]).toMatchObject({ paused_seconds: 1.5 });
  });

  test("a technique that never yields gets a turn of the event loop at its checkpoints every 20 ms", async () => {
    // Scanning for 5 ms between checkpoints: without these turns a fast scan holds off signals, progress and log writes.
    let advance = (_ms: number) => {};
    const technique = new FakeTechnique((p) => {
      advance(5);
      return p.port === 22 ? "Open" : "Closed";
    });
    const s = setup({ technique }, ["198.18.0.1-10"], [21, 22, 23, 24]);
    advance = s.advance;
    await s.engine.run();
    expect(technique.seen).toHaveLength(40);
    // 40 probes x 5 ms = 200 ms of scanning: a turn once 20 ms have passed since the last, not at every checkpoint.
    expect(s.turns()).toBeGreaterThanOrEqual(9);
    expect(s.turns()).toBeLessThanOrEqual(11);
  });

  test("a subscriber's backpressure holds the technique at its checkpoint until released", async () => {
    let release!: () => void;
    const hold: { promise?: Promise<void> } = { promise: new Promise((r) => (release = r)) };
    const s = setup({}, ["198.18.0.1"], [1, 2, 3, 4], hold);
    const run = s.engine.run();
    await Bun.sleep(5);
    expect(s.technique.seen).toHaveLength(0);
    delete hold.promise;
    release();
    await run;
    expect(s.technique.seen).toHaveLength(4);
  });

  test("a cancel ends a backpressure hold at once", async () => {
    const hold = { promise: new Promise<void>(() => {}) }; // a log that never catches up
    const s = setup({}, ["198.18.0.1"], [1, 2, 3, 4], hold);
    const run = s.engine.run();
    await Bun.sleep(5);
    s.engine.cancel("interrupted by SIGINT");
    const outcome = await run;
    expect(outcome.cancelled).toBe(true);
    expect(s.technique.seen).toHaveLength(0);
    expect(s.of("ScanCancelled")).toHaveLength(1);
  });

  test("cancel publishes ScanCancelled instead of ScanCompleted", async () => {
    let release!: () => void;
    const technique = new FakeTechnique();
    technique.gate = new Promise((r) => (release = r));
    const s = setup({ technique }, ["198.18.0.0/24"], [22]);
    const run = s.engine.run();
    await Bun.sleep(1);
    s.engine.cancel("interrupted by SIGINT");
    release();
    const outcome = await run;
    expect(outcome.cancelled).toBe(true);
    expect(s.of("ScanCompleted")).toHaveLength(0);
    expect(s.of("ScanCancelled")[0]).toMatchObject({ reason: "interrupted by SIGINT" });
    expect(s.technique.seen.length).toBeLessThan(256);
  });

  test("a technique that fails ends the scan with ScanCancelled and the error", async () => {
    const broken = new FakeTechnique();
    broken.scan = async (_probes, ctx) => {
      ctx.result({ target: "198.18.0.1", port: 22, protocol: "Tcp", state: "Open", reason: "connect", rttMs: 1 });
      throw new Error("capture handle lost");
    };
    const s = setup({ technique: broken });
    await expect(s.engine.run()).rejects.toThrow("capture handle lost");
    expect(s.of("ScanCancelled")[0]).toMatchObject({ reason: "error: capture handle lost", partial_results: true });
    expect(broken.closed).toBe(true);
  });

  test("a technique learns how many probes may be outstanding, so it can size its tables before sending", async () => {
    const seenBy = async (over: Partial<ScanPlan>, targets: string[], ports: number[]) => {
      const t = new FakeTechnique();
      let outstanding: number | undefined;
      const scan = t.scan.bind(t);
      t.scan = (probes, ctx) => {
        outstanding = ctx.outstanding;
        return scan(probes, ctx);
      };
      await setup({ technique: t, ...over }, targets, ports).engine.run();
      return outstanding;
    };
    const ports = Array.from({ length: 1000 }, (_, i) => i + 1);
    // Unthrottled: every probe of the scan (4 hosts x 1,000 ports).
    expect(await seenBy({}, ["198.18.0.1-4"], ports)).toBe(4000);
    // --max-rate 100 with -T4's 500 ms first timeout: two timeouts' worth at the cap, raised to the 1,024 floor.
    expect(await seenBy({ maxRate: 100 }, ["198.18.0.1-4"], ports)).toBe(1024);
  });

  test("outstanding probes are estimated from the probe count or the rate cap, within 1,024 and 2^21", () => {
    expect(outstandingEstimate(234_000, null, 1000)).toBe(234_000);
    expect(outstandingEstimate(5_000_000, null, 1000)).toBe(2 ** 21);
    expect(outstandingEstimate(5_000_000, 10_000, 1000)).toBe(20_000);
    expect(outstandingEstimate(10, null, 1000)).toBe(1024);
  });

  test("--max-rate throttling is published as RateLimitTriggered", async () => {
    const s = setup({ maxRate: 100 }, ["198.18.0.0/24"], [22]);
    await s.engine.run();
    const rl = s.of("RateLimitTriggered");
    expect(rl.length).toBeGreaterThanOrEqual(1);
    expect(rl[0]).toMatchObject({ target_rate: 100 });
    expect(rl[0]!.duration_ms as number).toBeGreaterThan(0);
  });
});

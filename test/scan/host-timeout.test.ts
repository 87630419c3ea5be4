import { describe, expect, test } from "bun:test";
import { type Probe, type ServiceDetector, type Technique, type TechniqueContext, planTargets, timingTemplate } from "../../src/scan/index.ts";
import { ProbeOrder } from "../../src/scan/probe-order.ts";
import { engineHarness } from "./helpers.ts";

// --host-timeout on a fake clock: the pacer's sleeps move time on, nothing waits for real.

const closed = (p: Probe) => ({ target: p.host, port: p.port, protocol: "Tcp", state: "Closed", reason: "rst", rttMs: 1 }) as const;

/** A technique that asks the pacer before each probe and answers it at once; `sent` lists the probes. */
function pacedTechnique(sent: Probe[]): Technique {
  return {
    name: "connect",
    async scan(probes: Iterable<Probe>, ctx: TechniqueContext) {
      for (const p of probes) {
        await ctx.pacer.acquire(1);
        if (ctx.signal.aborted) return;
        sent.push(p);
        ctx.result(closed(p));
      }
    },
    close() {},
  };
}

const skipped = (of: (type: string) => Record<string, unknown>[]) =>
  of("WarningIssued").filter((w) => w.code === "host-timeout").map((w) => w.message);

describe("--host-timeout", () => {
  test("a host still being probed at the deadline is given up on: no probe leaves after it, one host-timeout warning names it", async () => {
    let now = 0;
    const sent: Probe[] = [];
    const { engine, of } = engineHarness(
      { technique: pacedTechnique(sent), ports: Array.from({ length: 20 }, (_, i) => i + 1), timing: { ...timingTemplate(4), scanDelayMs: 250 }, hostTimeoutMs: 1000 },
      { clock: { now: () => now }, sleep: async (ms) => void (now += ms) },
    );
    const outcome = await engine.run();
    // One probe at once (the bucket's one token), then one per 250 ms up to the 1 s deadline.
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(sent.length).toBeLessThanOrEqual(5);
    expect(now).toBeLessThanOrEqual(1000);
    expect(skipped(of)).toEqual(["Skipping host 198.18.0.1 due to host timeout"]);
    expect(outcome.cancelled).toBe(false);
    expect(of("ScanCompleted")).toHaveLength(1);
  });

  test("a host whose every probe was answered before the deadline is not given up on; one still waiting is", async () => {
    let now = 0;
    // Answers 198.18.0.1 at once; 198.18.0.2 stays silent until the clock is past the deadline.
    const technique: Technique = {
      name: "connect",
      async scan(probes: Iterable<Probe>, ctx: TechniqueContext) {
        for (const p of probes) if (p.host === "198.18.0.1") ctx.result(closed(p));
        now = 5000;
        await ctx.checkpoint();
      },
      close() {},
    };
    const { engine, of } = engineHarness(
      { technique, ports: [1, 2, 3], targets: planTargets(["198.18.0.1-2"], []), hostTimeoutMs: 1000 },
      { clock: { now: () => now } },
    );
    await engine.run();
    expect(skipped(of)).toEqual(["Skipping host 198.18.0.2 due to host timeout"]);
  });

  test("a scan that ends before the deadline gives up on no host", async () => {
    let now = 0;
    const sent: Probe[] = [];
    const { engine, of } = engineHarness(
      { technique: pacedTechnique(sent), ports: [1, 2, 3], timing: { ...timingTemplate(4), scanDelayMs: 250 }, hostTimeoutMs: 5000 },
      { clock: { now: () => now }, sleep: async (ms) => void (now += ms) },
    );
    await engine.run();
    expect(sent).toHaveLength(3);
    expect(skipped(of)).toEqual([]);
  });

  test("a host whose ports were all scanned but whose -sV had not run at the deadline is given up on, and -sV skips it", async () => {
    let now = 0;
    const technique: Technique = {
      name: "connect",
      async scan(probes: Iterable<Probe>, ctx: TechniqueContext) {
        for (const p of probes) ctx.result({ ...closed(p), state: "Open", reason: "connect" });
        now = 2000;
      },
      close() {},
    };
    const handed: Probe[] = [];
    const detector: ServiceDetector = {
      async detect(ports) {
        handed.push(...ports);
        return 0;
      },
    };
    const { engine, of } = engineHarness({ technique, detector, ports: [22, 80], hostTimeoutMs: 1000 }, { clock: { now: () => now } });
    await engine.run();
    expect(handed).toEqual([]);
    expect(skipped(of)).toEqual(["Skipping host 198.18.0.1 due to host timeout"]);
  });

  test("without --host-timeout (or with 0) the technique gets the engine's probe order itself: nothing is checked per probe", async () => {
    for (const hostTimeoutMs of [undefined, 0]) {
      let given: Iterable<Probe> | null = null;
      const technique: Technique = {
        name: "connect",
        async scan(probes: Iterable<Probe>, ctx: TechniqueContext) {
          given = probes;
          for (const p of probes) ctx.result(closed(p));
        },
        close() {},
      };
      const { engine, of } = engineHarness({ technique, ports: [1, 2], hostTimeoutMs });
      await engine.run();
      expect(given).toBeInstanceOf(ProbeOrder);
      expect(skipped(of)).toEqual([]);
    }
  });
});

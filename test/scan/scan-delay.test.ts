import { describe, expect, test } from "bun:test";
import { type Probe, type Technique, type TechniqueContext, timingTemplate } from "../../src/scan/index.ts";
import { engineHarness } from "./helpers.ts";

describe("--scan-delay", () => {
  test("a scan delay of 250 ms spaces every probe at least 250 ms from the one before", async () => {
    let now = 0;
    const clock = { now: () => now };
    const sentAt: number[] = [];
    const technique: Technique = {
      name: "connect",
      async scan(probes: Iterable<Probe>, ctx: TechniqueContext) {
        for (const p of probes) {
          await ctx.pacer.acquire(1);
          sentAt.push(now);
          ctx.result({ target: p.host, port: p.port, protocol: "Tcp", state: "Closed", reason: "rst", rttMs: 1 });
        }
      },
      async close() {},
    };
    const { engine } = engineHarness(
      { technique, ports: [1, 2, 3, 4], timing: { ...timingTemplate(4), scanDelayMs: 250 } },
      { clock, sleep: async (ms) => void (now += ms) },
    );
    await engine.run();
    expect(sentAt).toHaveLength(4);
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(250 - 1e-9);
  });
});

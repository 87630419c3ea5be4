import { describe, expect, test } from "bun:test";
import { type HostDiscovery, type Probe, type Technique, type TechniqueContext, planTargets } from "../../src/scan/index.ts";
import { engineHarness } from "./helpers.ts";

/** Records the probes in the order the engine hands them over; every port closed. */
class Recorder implements Technique {
  readonly name = "connect" as const;
  seen: string[] = [];
  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    for (const p of probes) {
      this.seen.push(`${p.host}:${p.port}`);
      ctx.result({ target: p.host, port: p.port, protocol: "Tcp", state: "Closed", reason: "rst", rttMs: 1 });
    }
  }
  async close(): Promise<void> {}
}

async function order(inOrder: boolean, seed = 1): Promise<string[]> {
  const technique = new Recorder();
  const { engine } = engineHarness({ technique, targets: planTargets(["198.18.0.1-3"], []), ports: [22, 80, 443], inOrder, seed });
  await engine.run();
  return technique.seen;
}

describe("-r: probes in order", () => {
  test("-r probes each port in ascending order, the hosts in address order for each", async () => {
    expect(await order(true)).toEqual([
      "198.18.0.1:22", "198.18.0.2:22", "198.18.0.3:22",
      "198.18.0.1:80", "198.18.0.2:80", "198.18.0.3:80",
      "198.18.0.1:443", "198.18.0.2:443", "198.18.0.3:443",
    ]);
  });

  test("-r gives the same order whatever the seed; without it the seed scrambles it", async () => {
    expect(await order(true, 7)).toEqual(await order(true, 1));
    const scrambled = await order(false, 7);
    expect(scrambled).not.toEqual(await order(true));
    expect(new Set(scrambled).size).toBe(9);
  });

  test("-r hands discovery the hosts in address order, and port-scans those up in numeric order", async () => {
    const seen: string[] = [];
    const discovery: HostDiscovery = {
      async discover(hosts, ctx) {
        // Answers come back in any order; .2 and .10 compare the other way as text.
        for (const h of hosts) seen.push(h);
        for (const h of [...seen].reverse()) ctx.up(h, "TCP", 1);
      },
    };
    const technique = new Recorder();
    const { engine } = engineHarness({ technique, targets: planTargets(["198.18.0.1-11"], ["198.18.0.3-9"]), ports: [22], inOrder: true, discovery });
    await engine.run();
    expect(seen).toEqual(["198.18.0.1", "198.18.0.2", "198.18.0.10", "198.18.0.11"]);
    expect(technique.seen).toEqual(["198.18.0.1:22", "198.18.0.2:22", "198.18.0.10:22", "198.18.0.11:22"]);
  });
});

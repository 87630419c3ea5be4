import { describe, expect, test } from "bun:test";
import { type Resolver, planTargets, resolveTargets, settleNames } from "../../src/scan/index.ts";

// A table standing in for DNS: no lookup leaves the process.
function tableResolver(asked: string[] = []): Resolver {
  return async (name, family) => {
    asked.push(`${name}/${family}`);
    if (name === "two.test") return family === 4 ? ["198.18.0.9", "198.18.0.10"] : ["2001:db8::9"];
    if (name === "six.test") return family === 6 ? ["2001:db8::6"] : [];
    throw new Error("DNS lookup failed (EAI_AGAIN)");
  };
}

describe("settleNames (target names resolved before anything is opened)", () => {
  test("a name becomes the block of its first address of the family, keeping the name for the reports", async () => {
    const plan = await settleNames(planTargets(["two.test", "198.18.0.1"], []), tableResolver(), 4);
    expect(plan.include).toEqual([
      { kind: "block", block: { family: 4, lo: 0xc6120009n, hi: 0xc6120009n }, resolvedFrom: { name: "two.test", address: "198.18.0.9" } },
      { kind: "block", block: { family: 4, lo: 0xc6120001n, hi: 0xc6120001n } },
    ]);
    expect(plan.unresolved).toEqual([]);
  });

  test("the target count is exact once names are settled: a name that does not resolve counts none, a prefix its block", async () => {
    const plan = planTargets(["two.test", "junk", "two.test/31", "198.18.0.1-4"], ["198.18.0.4"]);
    // Before: two.test and junk one address each, two.test/31 two, 198.18.0.1-3 after the exclude.
    expect(plan.estimatedCount).toBe(7n);
    const settled = await settleNames(plan, tableResolver(), 4);
    // two.test (198.18.0.9), two.test/31 (198.18.0.8-9, overlapping it), 198.18.0.1-3: five addresses.
    expect(settled.estimatedCount).toBe(5n);
  });

  test("a name with a prefix stands for the block around its address, named by that address", async () => {
    const plan = await settleNames(planTargets(["two.test/31"], []), tableResolver(), 4);
    expect(plan.include).toEqual([
      { kind: "block", block: { family: 4, lo: 0xc6120008n, hi: 0xc6120009n }, resolvedFrom: { name: "two.test", address: "198.18.0.9" } },
    ]);
  });

  test("names that do not resolve leave the targets and are kept with why, in the order given", async () => {
    const plan = await settleNames(planTargets(["gone.test", "198.18.0.1", "six.test"], []), tableResolver(), 4);
    expect(plan.include).toHaveLength(1);
    expect(plan.unresolved).toEqual([
      { name: "gone.test", why: "DNS lookup failed (EAI_AGAIN)" },
      { name: "six.test", why: "it has no IPv4 address, only IPv6 2001:db8::6 (scan with -6)" },
    ]);
  });

  test("targets without names are returned as they are, with no lookup", async () => {
    const asked: string[] = [];
    const given = planTargets(["198.18.0.0/30"], []);
    expect(await settleNames(given, tableResolver(asked), 4)).toBe(given);
    expect(asked).toEqual([]);
  });

  test("the scan's resolution of a settled plan warns about each unresolved name, names hosts by their names, and looks nothing up again", async () => {
    const settled = await settleNames(planTargets(["127.0.0.1", "gone.test", "two.test"], [], 4), tableResolver(), 4);
    const asked: string[] = [];
    const warned: string[] = [];
    const named: string[] = [];
    const set = await resolveTargets(settled, {
      resolver: tableResolver(asked),
      family: 4,
      onUnresolved: (name, why) => void warned.push(`${name}: ${why}`),
      onResolved: (name, address) => void named.push(`${name}=${address}`),
    });
    expect([...set]).toEqual(["127.0.0.1", "198.18.0.9"]);
    expect(warned).toEqual(["gone.test: DNS lookup failed (EAI_AGAIN)"]);
    expect(named).toEqual(["two.test=198.18.0.9"]);
    expect(asked).toEqual([]);
  });

  test("-6 warns about each IPv4 target it skips before the names that did not resolve, as before", async () => {
    const settled = await settleNames(planTargets(["gone.test", "127.0.0.1", "six.test"], [], 6), tableResolver(), 6);
    const warned: string[] = [];
    await resolveTargets(settled, { resolver: tableResolver(), family: 6, onUnresolved: (name) => void warned.push(name) });
    expect(warned).toEqual(["127.0.0.1", "gone.test"]);
  });
});

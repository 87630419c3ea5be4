import { describe, expect, test } from "bun:test";
import { type Resolver, listTargets, planTargets } from "../../src/scan/index.ts";

async function listed(include: string[], exclude: string[] = [], resolver: Resolver = async () => ["127.0.0.1"]) {
  const out: string[] = [];
  const warnings: string[] = [];
  const hosts = listTargets(planTargets(include, exclude), { resolver, family: 4, onUnresolved: (name) => void warnings.push(name) });
  for await (const h of hosts) out.push(h.name === null ? h.address : `${h.name} (${h.address})`);
  return { out, warnings };
}

describe("list scan targets (-sL)", () => {
  test("targets are listed in the order given, each range ascending, a repeated one twice", async () => {
    const { out } = await listed(["127.0.0.3", "127.0.0.1-3", "127.0.0.1"]);
    expect(out).toEqual(["127.0.0.3", "127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.1"]);
  });

  test("excludes are cut out of every target", async () => {
    const { out } = await listed(["127.0.0.2", "127.0.0.1-4"], ["127.0.0.2,4"]);
    expect(out).toEqual(["127.0.0.1", "127.0.0.3"]);
  });

  test("a name labels the address it resolved to, not the rest of its block (localhost/31)", async () => {
    const { out } = await listed(["localhost/31", "127.1"]);
    expect(out).toEqual(["127.0.0.0", "localhost (127.0.0.1)", "127.1 (127.0.0.1)"]);
  });

  test("only names given as targets are looked up: no reverse lookup of addresses", async () => {
    const asked: string[] = [];
    const resolver: Resolver = async (name) => (asked.push(name), ["127.0.0.5"]);
    await listed(["127.0.0.1-3", "localhost"], [], resolver);
    expect(asked).toEqual(["localhost"]);
  });

  test("a name that does not resolve is warned about and skipped", async () => {
    const { out, warnings } = await listed(["nowhere", "127.0.0.1"], [], async () => {
      throw new Error("no such name");
    });
    expect(out).toEqual(["127.0.0.1"]);
    expect(warnings).toEqual(["nowhere"]);
  });
});

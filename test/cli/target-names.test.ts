import { describe, expect, test } from "bun:test";
import { UsageError } from "../../src/errors.ts";
import { settleTargetNames } from "../../src/cli/target-names.ts";
import { type Resolver, planTargets } from "../../src/scan/index.ts";

// A table standing in for DNS: no lookup leaves the process.
const resolver: Resolver = async (name, family) => {
  if (name === "localhost") return family === 4 ? ["127.0.0.1"] : ["::1"];
  if (name === "nxdomain.test") return [];
  throw new Error("DNS lookup failed (EAI_AGAIN)");
};

async function refusal(targets: string[], family: 4 | 6 = 4): Promise<string> {
  const err = await settleTargetNames(planTargets(targets, [], family), resolver, family).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
}

describe("a scan left with no target is refused before anything is opened", () => {
  test("every name failing to resolve is one line naming them all, with why", async () => {
    expect(await refusal(["junk"])).toBe('no targets to scan: "junk" did not resolve (DNS lookup failed (EAI_AGAIN))');
    expect(await refusal(["junk", "no-such-host.example"])).toBe(
      'no targets to scan: "junk" and "no-such-host.example" did not resolve (DNS lookup failed (EAI_AGAIN))',
    );
  });

  test("names failing for different reasons are grouped by reason", async () => {
    expect(await refusal(["junk", "nxdomain.test", "other"])).toBe(
      'no targets to scan: "junk" and "other" did not resolve (DNS lookup failed (EAI_AGAIN)); "nxdomain.test" did not resolve (no such name)',
    );
  });

  test("a long list names five and counts the rest", async () => {
    expect(await refusal(["a", "b", "c", "d", "e", "f", "g"])).toBe(
      'no targets to scan: "a", "b", "c", "d", "e" and 2 more did not resolve (DNS lookup failed (EAI_AGAIN))',
    );
  });

  test("-6 skipping every IPv4 target is refused naming them", async () => {
    expect(await refusal(["127.0.0.1"], 6)).toBe(
      'no targets to scan: "127.0.0.1" is IPv4, and -6 scans IPv6 addresses only (scan without -6)',
    );
    expect(await refusal(["127.0.0.1", "junk"], 6)).toBe(
      'no targets to scan: "junk" did not resolve (DNS lookup failed (EAI_AGAIN)); "127.0.0.1" is IPv4, and -6 scans IPv6 addresses only (scan without -6)',
    );
  });

  test("one target left is enough: the unresolved names stay for the scan to warn about", async () => {
    const plan = await settleTargetNames(planTargets(["junk", "localhost"], []), resolver, 4);
    expect(plan.include).toHaveLength(1);
    expect(plan.unresolved).toEqual([{ name: "junk", why: "DNS lookup failed (EAI_AGAIN)" }]);
  });

  test("targets that --exclude covers entirely are refused in one line, as unresolved ones are", async () => {
    const excluded = (targets: string[], exclude: string[]) =>
      settleTargetNames(planTargets(targets, exclude, 4), resolver, 4).then(
        () => "scanned",
        (e: unknown) => (e as Error).message,
      );
    expect(await excluded(["127.0.0.1"], ["127.0.0.1"])).toBe("no targets to scan: --exclude/--excludefile leave none of them");
    expect(await excluded(["127.0.0.1-4"], ["127.0.0.0/30", "127.0.0.4"])).toBe("no targets to scan: --exclude/--excludefile leave none of them");
    expect(await excluded(["localhost"], ["127.0.0.1"])).toBe("no targets to scan: --exclude/--excludefile leave none of them");
    expect(await excluded(["127.0.0.1-4"], ["127.0.0.2"])).toBe("scanned");
    expect(await excluded(["127.0.0.1"], [])).toBe("scanned");
  });
});

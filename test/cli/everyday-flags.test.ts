import { describe, expect, test } from "bun:test";
import { normaliseArgs } from "../../src/cli/nmap-args.ts";
import { resolveOptions } from "../../src/cli/config.ts";
import { parseScanFlags } from "../../src/cli/scan-flags.ts";
import { scanOptions } from "../../src/cli/scan-options.ts";
import { usageErrorOf } from "../usage-error.ts";

// nmap's everyday flags that prtip used to refuse as unknown: -4, -r, --scan-delay, --max-scan-delay.

const flags = (...argv: string[]) => {
  const n = normaliseArgs(argv);
  return parseScanFlags(n.argv, n.verbosity);
};
const options = (...argv: string[]) => scanOptions(flags(...argv), async () => "");

describe("-4", () => {
  test("-4 is accepted and means IPv4 (it overrides a config file's ipv6)", async () => {
    expect(flags("-4", "127.0.0.1").ipv6).toBe(false);
    expect((await options("-4", "127.0.0.1")).family).toBe(4);
  });

  test("-4 on the command line wins over ipv6 = true in the config file", () => {
    const rt = { env: (name: string) => (name === "HOME" ? "/home/ann" : undefined) };
    const files: Record<string, string> = { "/home/ann/.prtip/config.toml": "[scan]\nipv6 = true\n" };
    const { argv } = normaliseArgs(["-4", "127.0.0.1"]);
    expect(resolveOptions(parseScanFlags(argv, 0), rt, (path) => files[path] ?? null).flags.ipv6).toBe(false);
  });

  test("-4 with -6 is refused, as nmap refuses it", () => {
    expect(usageErrorOf(() => flags("-4", "-6", "::1"))).toBe("choose one of -4 and -6, not both");
  });
});

describe("-r", () => {
  test("-r asks for hosts and ports in order; without it the order is permuted", async () => {
    expect((await options("-r", "-p", "22,80", "127.0.0.1")).inOrder).toBe(true);
    expect((await options("-p", "22,80", "127.0.0.1")).inOrder).toBe(false);
  });
});

describe("--scan-delay and --max-scan-delay", () => {
  test("times read as nmap reads them: ms, s, m, h, a plain number in seconds", async () => {
    const delay = async (v: string) => (await options("--scan-delay", v, "127.0.0.1")).timing.scanDelayMs;
    expect(await delay("10ms")).toBe(10);
    expect(await delay("1.5s")).toBe(1500);
    expect(await delay("0.5")).toBe(500);
    expect(await delay("2m")).toBe(120_000);
    expect(await delay("1h")).toBe(3_600_000);
  });

  test("--scan-delay replaces the timing template's delay (-T0's five minutes too) and keeps the rest", async () => {
    const o = await options("-T0", "--scan-delay", "1s", "127.0.0.1");
    expect(o.timing.scanDelayMs).toBe(1000);
    expect(o.timing.name).toBe("paranoid");
    expect((await options("-T2", "127.0.0.1")).timing.scanDelayMs).toBe(400);
  });

  test("a time nmap refuses is refused with one line naming it", () => {
    for (const bad of ["10x", "-1", "1us", "ms"]) {
      expect(usageErrorOf(() => flags(`--scan-delay=${bad}`, "127.0.0.1"))).toStartWith(`invalid time for --scan-delay "${bad}":`);
    }
    expect(usageErrorOf(() => flags("--max-scan-delay", "soon", "127.0.0.1"))).toStartWith('invalid time for --max-scan-delay "soon":');
  });

  test("--max-scan-delay is accepted and checked; it changes nothing (prtip never raises the delay itself)", async () => {
    expect(flags("--max-scan-delay", "500ms", "127.0.0.1").maxScanDelayMs).toBe(500);
    expect((await options("--max-scan-delay", "500ms", "127.0.0.1")).timing.scanDelayMs).toBe(0);
  });

  test("--min-rate above what --scan-delay allows is refused", async () => {
    await expect(options("--scan-delay", "100ms", "--min-rate", "50", "127.0.0.1")).rejects.toThrow('invalid --min-rate "50": --scan-delay 100ms allows at most 10 probes per second');
    expect((await options("--scan-delay", "100ms", "--min-rate", "10", "127.0.0.1")).minRate).toBe(10);
  });
});

describe("--host-timeout", () => {
  test("times read as nmap reads them, and 0 means no timeout", async () => {
    const timeout = async (v: string) => (await options("--host-timeout", v, "127.0.0.1")).hostTimeoutMs;
    expect(await timeout("5s")).toBe(5000);
    expect(await timeout("250ms")).toBe(250);
    expect(await timeout("2m")).toBe(120_000);
    expect(await timeout("0")).toBeNull();
    expect((await options("127.0.0.1")).hostTimeoutMs).toBeNull();
  });

  test("a time nmap refuses is refused naming the value", () => {
    expect(usageErrorOf(() => flags("--host-timeout", "10x", "127.0.0.1"))).toContain('"10x"');
  });
});

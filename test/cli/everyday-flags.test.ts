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

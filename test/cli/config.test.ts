import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/cli/index.ts";
import { oneStreamRuntime } from "./one-stream.ts";
import { UsageError } from "../../src/errors.ts";
import { parseConfig, resolveOptions } from "../../src/cli/config.ts";
import { normaliseArgs } from "../../src/cli/nmap-args.ts";
import { parseScanFlags } from "../../src/cli/scan-flags.ts";
import { scanOptions } from "../../src/cli/scan-options.ts";
import { usageErrorOf } from "../usage-error.ts";

const HOME = "/home/ann";
const DEFAULT_FILE = "/home/ann/.prtip/config.toml";
const rt = { env: (name: string) => (name === "HOME" ? HOME : undefined) };

function resolve(argv: string[], files: Record<string, string>) {
  return resolveOptions(parseScanFlags(argv, 0), rt, (path) => files[path] ?? null);
}


const FULL = `# prtip config
[logging]
event_log = "~/logs/scan-%Y-%m-%d.jsonl"
event_log_rotation = "daily"
event_log_max_size = "10MB"
event_log_max_files = 7
event_log_compression = true
event_log_pattern = "_%Y%m%d"

[scan]
timing = 4
max_rate = 5000
exclude = ["198.18.0.1", "198.18.0.2"]
ping = false

[progress]
progress_style = "bars"
eta = "ewma"
`;

describe("config precedence", () => {
  test("without flags or a file the defaults hold", () => {
    const o = resolve(["198.18.0.1"], {});
    expect(o.configFile).toBeNull();
    expect(o.logging).toEqual({ path: null, rotation: "never", maxSize: null, maxFiles: null, compression: false, rotationSuffix: null });
    expect(o.progress).toEqual({ enabled: true, style: "compact", eta: "multi", live: false });
  });

  test("~/.prtip/config.toml fills what the flags leave out, with ~ expanded", () => {
    const o = resolve(["198.18.0.1"], { [DEFAULT_FILE]: FULL });
    expect(o.configFile).toBe(DEFAULT_FILE);
    expect(o.logging).toEqual({
      path: "/home/ann/logs/scan-%Y-%m-%d.jsonl",
      rotation: "daily",
      maxSize: 10 * 1024 * 1024,
      maxFiles: 7,
      compression: true,
      rotationSuffix: "_%Y%m%d",
    });
    expect(o.flags).toMatchObject({ timing: 4, maxRate: 5000, exclude: ["198.18.0.1", "198.18.0.2"], ping: false });
    expect(o.progress).toMatchObject({ style: "bars", eta: "ewma" });
  });

  test('technique = "syn+udp" in the file is -sS -sU; a technique flag replaces the file\'s choice whole', () => {
    const file = { [DEFAULT_FILE]: '[scan]\ntechnique = "syn+udp"\n' };
    expect(resolve(["198.18.0.1"], file).flags).toMatchObject({ technique: "syn", withUdp: true });
    const flagged = resolve(["--connect", "198.18.0.1"], file).flags;
    expect(flagged.technique).toBe("connect");
    expect(flagged.withUdp).toBeUndefined();
    expect(resolve(["198.18.0.1"], { [DEFAULT_FILE]: '[scan]\ntechnique = "connect+udp"\n' }).flags).toMatchObject({ technique: "connect", withUdp: true });
  });

  test("exclude_file = \"~/…\" in the file is under the home folder (no shell expands ~ in TOML)", () => {
    const o = resolve(["198.18.0.1"], { [DEFAULT_FILE]: '[scan]\nexclude_file = "~/lists/skip.txt"\n' });
    expect(o.flags.excludeFiles).toEqual(["/home/ann/lists/skip.txt"]);
    expect(resolve(["198.18.0.1", "--excludefile", "rel/skip.txt"], {}).flags.excludeFiles).toEqual(["rel/skip.txt"]);
  });

  test("exclude_file takes an array of files, as exclude takes an array of targets; --excludefile replaces the file's list, as --exclude does", () => {
    const file = { [DEFAULT_FILE]: '[scan]\nexclude_file = ["~/a.txt", "/etc/b.txt"]\n' };
    expect(resolve(["198.18.0.1"], file).flags.excludeFiles).toEqual(["/home/ann/a.txt", "/etc/b.txt"]);
    expect(resolve(["198.18.0.1", "--excludefile", "c.txt", "--excludefile", "d.txt"], file).flags.excludeFiles).toEqual(["c.txt", "d.txt"]);
    expect(usageErrorOf(() => parseConfig("[scan]\nexclude_file = [\"a.txt\", 3]\n", "/etc/prtip.toml"))).toStartWith("invalid value for scan.exclude_file");
  });

  test("flags override the file, the file overrides defaults", () => {
    const o = resolve(
      ["--event-log", "/var/log/p.jsonl", "--event-log-rotation", "size", "--event-log-max-size", "1M", "--timing", "2", "--progress-style", "detailed", "198.18.0.1"],
      { [DEFAULT_FILE]: FULL },
    );
    expect(o.logging).toMatchObject({ path: "/var/log/p.jsonl", rotation: "size", maxSize: 1024 * 1024, maxFiles: 7, compression: true });
    expect(o.flags.timing).toBe(2);
    expect(o.flags.maxRate).toBe(5000);
    expect(o.progress.style).toBe("detailed");
  });

  test("-F or --top-ports on the command line replaces the file's ports instead of conflicting", () => {
    const files = { [DEFAULT_FILE]: '[scan]\nports = "22,80"\n' };
    expect(resolve(["--fast", "198.18.0.1"], files).flags).toMatchObject({ fast: true, ports: undefined });
    expect(resolve(["--top-ports", "3", "198.18.0.1"], files).flags).toMatchObject({ topPorts: 3, ports: undefined });
    expect(resolve(["--ports", "443", "198.18.0.1"], files).flags.ports).toBe("443");
    expect(resolve(["198.18.0.1"], { [DEFAULT_FILE]: "[scan]\nfast = true\n" }).flags.fast).toBe(true);
  });

  test("--config FILE replaces the default file, and must exist", () => {
    const o = resolve(["--config", "/etc/prtip.toml", "x"], { [DEFAULT_FILE]: FULL, "/etc/prtip.toml": "[scan]\ntiming = 1\n" });
    expect(o.configFile).toBe("/etc/prtip.toml");
    expect(o.flags.timing).toBe(1);
    expect(o.logging.path).toBeNull();
    expect(usageErrorOf(() => resolve(["--config", "/nope.toml", "x"], {}))).toBe('invalid config file "/nope.toml": no such file');
  });
});

describe("no rotation setting is silently without effect", () => {
  const argv = (...rest: string[]) => ["--event-log", "/l/s.jsonl", ...rest, "198.18.0.1"];
  test("a max size alone means size rotation, from a flag or from the file (logrotate's maxsize)", () => {
    expect(resolve(argv("--event-log-max-size", "1K"), {}).logging).toMatchObject({ rotation: "size", maxSize: 1024 });
    const file = { [DEFAULT_FILE]: '[logging]\nevent_log = "/l/f.jsonl"\nevent_log_max_size = "1K"\n' };
    expect(resolve(["198.18.0.1"], file).logging).toMatchObject({ path: "/l/f.jsonl", rotation: "size", maxSize: 1024 });
  });

  test("a max size with time rotation is kept (the period's file rotates by size too); without one there is no size limit", () => {
    expect(resolve(argv("--event-log-rotation", "daily", "--event-log-max-size", "1M"), {}).logging).toMatchObject({ rotation: "daily", maxSize: 1 << 20 });
    expect(resolve(argv("--event-log-rotation", "daily"), {}).logging).toMatchObject({ rotation: "daily", maxSize: null });
  });

  test("a max size with rotation never said outright is refused, naming both flags", () => {
    expect(usageErrorOf(() => resolve(argv("--event-log-rotation", "never", "--event-log-max-size", "1K"), {}))).toBe(
      '--event-log-max-size needs rotation, but --event-log-rotation is "never"; drop one (a max size alone means size rotation)',
    );
  });

  test("the same conflict in the file names both keys with file and line", () => {
    const file = { [DEFAULT_FILE]: '[logging]\nevent_log = "/l/f.jsonl"\nevent_log_rotation = "never"\nevent_log_max_size = "1K"\n' };
    expect(usageErrorOf(() => resolve(["198.18.0.1"], file))).toBe(
      `event_log_max_size (${DEFAULT_FILE}:4) needs rotation, but event_log_rotation (${DEFAULT_FILE}:3) is "never"; drop one (a max size alone means size rotation)`,
    );
  });

  test("compression without rotation is refused: nothing is rotated, so nothing is gzipped", () => {
    expect(usageErrorOf(() => resolve(argv("--event-log-compression"), {}))).toBe(
      '--event-log-compression gzips rotated files, but the log is not rotated (the default rotation is "never"): add --event-log-rotation (size, hourly, daily, weekly) or --event-log-max-size',
    );
    const file = { [DEFAULT_FILE]: '[logging]\nevent_log = "/l/f.jsonl"\nevent_log_compression = true\n' };
    expect(usageErrorOf(() => resolve(["198.18.0.1"], file))).toStartWith(`event_log_compression (${DEFAULT_FILE}:3) gzips rotated files`);
    expect(resolve(argv("--event-log-compression", "--event-log-max-size", "1M"), {}).logging).toMatchObject({ rotation: "size", compression: true });
  });

  test("max files without rotation is refused for one fixed file, kept for a time-coded path (each run its own file)", () => {
    expect(usageErrorOf(() => resolve(argv("--event-log-max-files", "1"), {}))).toStartWith("--event-log-max-files keeps the newest files, but the log is not rotated");
    const coded = resolve(["--event-log", "/l/s-%Y%m%d.jsonl", "--event-log-max-files", "3", "198.18.0.1"], {});
    expect(coded.logging).toMatchObject({ rotation: "never", maxFiles: 3 });
  });

  test("rotation flags without an event log file are refused; config keys stay defaults for a later --event-log", () => {
    expect(usageErrorOf(() => resolve(["--event-log-max-size", "1K", "198.18.0.1"], {}))).toBe("--event-log-max-size needs --event-log FILE: there is no event log");
    expect(usageErrorOf(() => resolve(["--event-log=-", "--event-log-rotation", "size", "198.18.0.1"], {}))).toBe(
      "--event-log-rotation has no effect on --event-log -: stdout is not rotated",
    );
    const file = { [DEFAULT_FILE]: '[logging]\nevent_log_rotation = "size"\nevent_log_compression = true\n' };
    expect(resolve(["198.18.0.1"], file).logging).toMatchObject({ path: null, rotation: "size" });
  });
});

describe("config errors name file, line and key", () => {
  const F = "/etc/prtip.toml";
  test("unparsable TOML", () => {
    expect(usageErrorOf(() => parseConfig('[logging]\nevent_log = "unterminated\n', F))).toMatch(/^invalid config line "event_log = \\"unterminated": .+ at \/etc\/prtip.toml:2:\d+$/);
  });
  test("a key given twice is refused naming its line", () => {
    expect(usageErrorOf(() => parseConfig("[scan]\nmax_rate = 5\nmax_rate = 6\n", F))).toBe(
      'invalid config line "max_rate = 6": trying to redefine an already defined table or value at /etc/prtip.toml:3:1',
    );
  });
  test("a value that is not TOML is refused naming its line", () => {
    expect(usageErrorOf(() => parseConfig("[scan]\nmax_rate = fast\n", F))).toMatch(/^invalid config line "max_rate = fast": .+ at \/etc\/prtip.toml:2:\d+$/);
  });
  test("an unknown key", () => {
    expect(usageErrorOf(() => parseConfig("[logging]\nevent_log = \"x\"\n\nevent_lgo_rotation = \"daily\"\n", F))).toBe(
      'invalid config key "logging.event_lgo_rotation": unknown key; [logging] has event_log, event_log_rotation, event_log_max_size, event_log_max_files, event_log_compression, event_log_pattern at /etc/prtip.toml:4',
    );
  });
  test("an unknown section", () => {
    expect(usageErrorOf(() => parseConfig("[scan]\ntiming = 3\n[loggin]\nevent_log = \"x\"\n", F))).toBe(
      'invalid config key "loggin": unknown key; the sections are [logging], [scan], [progress] at /etc/prtip.toml:3',
    );
  });
  test("a top-level key", () => {
    expect(usageErrorOf(() => parseConfig("timing = 3\n", F))).toContain('"timing": unknown key');
  });
  test("a wrong type", () => {
    expect(usageErrorOf(() => parseConfig("[logging]\n\nevent_log_max_files = \"seven\"\n", F))).toBe(
      'invalid value for logging.event_log_max_files "seven": expected a whole number from 1 to 100000 at /etc/prtip.toml:3',
    );
    expect(usageErrorOf(() => parseConfig("[logging]\nevent_log_compression = 1\n", F))).toBe(
      'invalid value for logging.event_log_compression "1": expected true or false at /etc/prtip.toml:2',
    );
  });
  test("a value out of its set or range", () => {
    expect(usageErrorOf(() => parseConfig('[logging]\nevent_log_rotation = "monthly"\n', F))).toContain("expected one of never, size, hourly, daily, weekly at /etc/prtip.toml:2");
    expect(usageErrorOf(() => parseConfig("[scan]\ntiming = 9\n", F))).toContain("expected 0-5 or one of paranoid, sneaky, polite, normal, aggressive, insane at /etc/prtip.toml:2");
    expect(usageErrorOf(() => parseConfig('[logging]\nevent_log_max_size = "lots"\n', F))).toContain('"lots": expected bytes');
    expect(usageErrorOf(() => parseConfig('[logging]\nevent_log_max_size = "9999999999G"\n', F))).toContain('"9999999999G": expected bytes');
  });
  test("a port list the scan would refuse is refused here, naming file and line", () => {
    expect(usageErrorOf(() => parseConfig('[scan]\n\nports = "70000"\n', F))).toBe(
      'invalid value for scan.ports "70000": expected a port list like "22,80,1000-2000" (ports 1-65535) at /etc/prtip.toml:3',
    );
    expect(parseConfig('[scan]\nports = "22,80,1000-2000"\n', F).ports).toBe("22,80,1000-2000");
  });
  test("an exclude entry the scan would refuse is refused here, naming the entry, file and line", () => {
    expect(usageErrorOf(() => parseConfig('[scan]\n\nexclude = ["198.18.0.1", "999.1.1.1"]\n', F))).toBe(
      'invalid value for scan.exclude "999.1.1.1": octets are 0-255, four of them at /etc/prtip.toml:3',
    );
    expect(usageErrorOf(() => parseConfig('[scan]\nexclude = "198.18.0.9-3"\n', F))).toBe(
      'invalid value for scan.exclude "198.18.0.9-3": the end comes before the start at /etc/prtip.toml:2',
    );
    expect(parseConfig('[scan]\nexclude = ["198.18.0.0/24", "host.example"]\n', F).exclude).toEqual(["198.18.0.0/24", "host.example"]);
  });
  test("dotted keys are found on their line", () => {
    expect(usageErrorOf(() => parseConfig('logging.event_log = "x"\nlogging.bogus = 1\n', F))).toContain("at /etc/prtip.toml:2");
  });
  test("a bad time code in the event log path", () => {
    expect(usageErrorOf(() => resolve(["--event-log", "/l/scan-%Q.jsonl", "x"], {}))).toBe(
      'invalid event log path "/l/scan-%Q.jsonl": unknown code "%Q"; use %Y %m %d %H %M %S',
    );
  });
  test("an event log path ending in .gz, from a flag or the file", () => {
    expect(usageErrorOf(() => resolve(["--event-log", "scans.jsonl.gz", "x"], {}))).toStartWith('invalid event log path "scans.jsonl.gz": it ends in ".gz"');
    const fromFile = usageErrorOf(() => resolve(["x"], { [DEFAULT_FILE]: '[logging]\n\nevent_log = "~/s.jsonl.gz"\n' }));
    expect(fromFile).toStartWith('invalid event log path "/home/ann/s.jsonl.gz": it ends in ".gz"');
    expect(fromFile).toEndWith(`at ${DEFAULT_FILE}:3`);
  });
  test("errors in the default file are errors too", () => {
    expect(usageErrorOf(() => resolve(["x"], { [DEFAULT_FILE]: "[progress]\nlive = \"yes\"\n" }))).toContain(`at ${DEFAULT_FILE}:2`);
  });
});

/** An unprivileged runtime whose stdout and stderr are one captured string. */
const captured = () => oneStreamRuntime(false);

describe("scan_delay, max_scan_delay, host_timeout, ports_in_order, reason and timing names", () => {
  const F = "/etc/prtip.toml";
  // As typed on a command line (-T4, -r), so nmap's short forms are what is checked.
  const given = (argv: string[], text: string) =>
    resolveOptions(parseScanFlags(normaliseArgs(argv).argv, 0), rt, (path) => (path === DEFAULT_FILE ? text : null));
  const SETTINGS = `[scan]
scan_delay = "250ms"
max_scan_delay = "1.5s"
host_timeout = "30m"
ports_in_order = true
reason = true
timing = "Aggressive"
`;

  test("times are read as nmap writes them (ms, s, m, h; a plain number, a TOML number too, is seconds)", () => {
    const t = (v: string) => parseConfig(`[scan]\nhost_timeout = ${v}\n`, F).hostTimeoutMs;
    expect([t('"500ms"'), t('"1.5s"'), t('"2m"'), t('"1h"'), t('"10"'), t("10"), t("0.5"), t('"0"')]).toEqual([500, 1500, 120_000, 3_600_000, 10_000, 10_000, 500, 0]);
    expect(parseConfig('[scan]\nscan_delay = "10ms"\nmax_scan_delay = "2s"\n', F)).toMatchObject({ scanDelayMs: 10, maxScanDelayMs: 2000 });
  });

  test("timing takes -T's numbers and names, a name in any case", () => {
    const level = (v: string) => parseConfig(`[scan]\ntiming = ${v}\n`, F).timing;
    expect([level("0"), level("5"), level('"paranoid"'), level('"sneaky"'), level('"polite"'), level('"normal"'), level('"aggressive"'), level('"INSANE"')]).toEqual([0, 5, 0, 1, 2, 3, 4, 5]);
  });

  test("a bad value is refused naming the key, the value, file and line", () => {
    expect(usageErrorOf(() => parseConfig('[scan]\nseed = 1\n\nhost_timeout = "10x"\n', F))).toBe(
      'invalid value for scan.host_timeout "10x": expected a time like "500ms", "1.5s", "2m" or "1h" (a plain number is seconds), at most 168h at /etc/prtip.toml:4',
    );
    expect(usageErrorOf(() => parseConfig("[scan]\nscan_delay = -1\n", F))).toStartWith('invalid value for scan.scan_delay "-1": expected a time');
    expect(usageErrorOf(() => parseConfig('[scan]\nmax_scan_delay = "169h"\n', F))).toEndWith("at most 168h at /etc/prtip.toml:2");
    expect(usageErrorOf(() => parseConfig("[scan]\nmax_scan_delay = true\n", F))).toStartWith('invalid value for scan.max_scan_delay "true": expected a time');
    expect(usageErrorOf(() => parseConfig('[scan]\n\ntiming = "fast"\n', F))).toBe(
      'invalid value for scan.timing "fast": expected 0-5 or one of paranoid, sneaky, polite, normal, aggressive, insane at /etc/prtip.toml:3',
    );
    // A number in quotes is a string, as for every whole-number key.
    expect(usageErrorOf(() => parseConfig('[scan]\ntiming = "4"\n', F))).toStartWith('invalid value for scan.timing "4": expected 0-5');
    expect(usageErrorOf(() => parseConfig("[scan]\ntiming = 2.5\n", F))).toStartWith('invalid value for scan.timing "2.5"');
    expect(usageErrorOf(() => parseConfig('[scan]\nreason = "yes"\n', F))).toBe('invalid value for scan.reason "yes": expected true or false at /etc/prtip.toml:2');
    expect(usageErrorOf(() => parseConfig("[scan]\nports_in_order = 1\n", F))).toBe('invalid value for scan.ports_in_order "1": expected true or false at /etc/prtip.toml:2');
  });

  test("the file's values take effect in the scan: delay, host timeout, order, template", async () => {
    const o = given(["127.0.0.1"], SETTINGS);
    expect(o.flags).toMatchObject({ scanDelayMs: 250, maxScanDelayMs: 1500, hostTimeoutMs: 1_800_000, portsInOrder: true, reason: true, timing: 4 });
    const scan = await scanOptions(o.flags, async () => "");
    expect(scan.timing).toMatchObject({ name: "aggressive", scanDelayMs: 250 });
    expect(scan.hostTimeoutMs).toBe(1_800_000);
    expect(scan.inOrder).toBe(true);
  });

  test("a flag on the command line overrides the file's value", async () => {
    const o = given(["--scan-delay", "0", "--max-scan-delay", "5s", "--host-timeout", "0", "-T", "polite", "--reason=false", "--ports-in-order=false", "127.0.0.1"], SETTINGS);
    expect(o.flags).toMatchObject({ scanDelayMs: 0, maxScanDelayMs: 5000, hostTimeoutMs: 0, timing: 2, reason: false, portsInOrder: false });
    const scan = await scanOptions(o.flags, async () => "");
    // --host-timeout 0 is no limit, even over the file's 30m; --scan-delay 0 replaces -T2's 400ms as well.
    expect(scan.hostTimeoutMs).toBeNull();
    expect(scan.timing).toMatchObject({ name: "polite", scanDelayMs: 0 });
    expect(scan.inOrder).toBe(false);
    expect(given(["-T5", "127.0.0.1"], "[scan]\ntiming = 1\n").flags.timing).toBe(5);
    expect(given(["-Tsneaky", "127.0.0.1"], '[scan]\ntiming = "insane"\n').flags.timing).toBe(1);
  });

  test("reason = true in --config FILE puts nmap's REASON column in the report; --reason=false takes it out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prtip-config-"));
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const config = join(dir, "config.toml");
      writeFileSync(config, "[scan]\nreason = true\n");
      const report = async (...extra: string[]) => {
        const { rt, text } = captured();
        expect(await run(["--config", config, "-sT", "-p", String(port), ...extra, "127.0.0.1"], rt)).toBe(0);
        return text();
      };
      const withReason = await report();
      expect(withReason).toMatch(/\nPORT +STATE +SERVICE +REASON\n/);
      expect(withReason).toMatch(new RegExp(`\\n${port}/tcp +open +\\S+ +syn-ack\\n`));
      expect(await report("--reason=false")).toMatch(/\nPORT +STATE +SERVICE\n/);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("an unreadable default location (a home the user cannot enter) means no config file", () => {
  const denied = (path: string): string | null => {
    throw new UsageError(`cannot read config file ${JSON.stringify(path)}: EACCES`, { cause: Object.assign(new Error("EACCES"), { code: "EACCES" }) });
  };
  const resolved = resolveOptions({ targets: ["127.0.0.1"], verbosity: 0, debug: false }, { env: (k) => (k === "HOME" ? "/root" : undefined) }, denied);
  expect(resolved.configFile).toBeNull();
  expect(() =>
    resolveOptions({ targets: [], verbosity: 0, debug: false, config: "/root/x.toml" }, { env: () => undefined }, denied),
  ).toThrow("EACCES");
});

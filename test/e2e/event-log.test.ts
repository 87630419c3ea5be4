import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary, runBinary } from "./harness.ts";

// --event-log, the config file and signals through the compiled binary; loopback only.

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "prtip-evlog-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parse = (text: string) => text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

function expectWholeLog(lines: Record<string, unknown>[]) {
  expect(lines[0]).toMatchObject({ event: "log_started", version: "1.0" });
  expect(lines.at(-1)).toMatchObject({ event: "log_ended", events: lines.length - 2 });
  const seqs = lines.slice(1, -1).map((l) => l.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
}

describe("--event-log", () => {
  test("a scan's log is framed, seq is contiguous, and the file is private (0600)", () => {
    const path = join(dir, "sub", "scan-%Y.jsonl");
    const r = runBinary(["-sT", "-p", "1-50", "--event-log", path, "127.0.0.1"]);
    expect(r.code).toBe(0);
    const file = path.replace("%Y", String(new Date().getUTCFullYear()));
    const lines = parse(readFileSync(file, "utf8"));
    expectWholeLog(lines);
    expect(lines.filter((l) => l.event === "PortFound")).toHaveLength(50);
    expect(lines.at(-2)).toMatchObject({ event: "ScanCompleted", ports_scanned: 50 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "sub")).mode & 0o777).toBe(0o700);
  });

  test("--event-log - streams the same framed lines on stdout", () => {
    const r = runBinary(["-sT", "-p", "1-5", "--event-log", "-", "127.0.0.1"]);
    expect(r.code).toBe(0);
    expectWholeLog(parse(r.stdout));
  });

  test("a log the disk refuses is warned about once, and the scan goes on", () => {
    const r = runBinary(["-sT", "-p", "1-5", "--event-log", "/dev/full", "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("prtip done: 1 IP address");
    expect(r.stderr.match(/cannot write event log \/dev\/full: No space left on device;/g)).toHaveLength(1);
  });

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    test(`${signal} mid-scan logs ScanCancelled and log_ended, then exits ${code}`, async () => {
      const path = join(dir, `${signal}.jsonl`);
      const child = Bun.spawn([ensureBinary(), "-sT", "-p-", "--max-rate", "2000", "--event-log", path, "127.0.0.1"], {
        stdout: "ignore",
        stderr: "pipe",
      });
      // Wait until the scan is under way: the log has its first PortFound.
      for (let i = 0; i < 200 && !(readOr(path).includes('"PortFound"')); i++) await Bun.sleep(25);
      child.kill(signal);
      expect(await child.exited).toBe(code);
      const lines = parse(readFileSync(path, "utf8"));
      expectWholeLog(lines);
      expect(lines.at(-2)).toMatchObject({ event: "ScanCancelled", partial_results: true });
    });
  }
});

function readOr(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

describe("--config", () => {
  test("[logging] event_log in the file turns the log on; a flag overrides the file", () => {
    const config = join(dir, "config.toml");
    const fromFile = join(dir, "from-file.jsonl");
    const fromFlag = join(dir, "from-flag.jsonl");
    writeFileSync(config, `[logging]\nevent_log = "${fromFile}"\n\n[scan]\nports = "1-3"\n`);
    expect(runBinary(["-sT", "--config", config, "127.0.0.1"]).code).toBe(0);
    expect(parse(readFileSync(fromFile, "utf8")).filter((l) => l.event === "PortFound")).toHaveLength(3);
    expect(runBinary(["-sT", "--config", config, "--event-log", fromFlag, "-p", "7", "127.0.0.1"]).code).toBe(0);
    expect(parse(readFileSync(fromFlag, "utf8")).filter((l) => l.event === "PortFound")).toHaveLength(1);
  });

  test("an unknown key exits 2 naming the file, line and key, before scanning", () => {
    const config = join(dir, "bad.toml");
    writeFileSync(config, `[logging]\nevent_log = "x.jsonl"\nevent_log_colour = "red"\n`);
    const r = runBinary(["-sT", "--config", config, "127.0.0.1"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("event_log_colour");
    expect(r.stderr).toContain(`${config}:3`);
  });
});

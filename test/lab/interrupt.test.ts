// Ctrl-C during an unthrottled SYN scan: the scan sends flat out, so this is
// about whether signals, the event log's writes and progress get a turn while
// it does. Needs root, iproute2, iptables and libpcap (all in .ci/run).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labUp, type Lab } from "./lab.ts";
import { only, runPrtip, type JsonEvent } from "./prtip.ts";

// 6.5 M probes, answered (RST) or not: seconds of sending even on a machine several times as fast as this one.
const EXTRA_HOSTS = 100;
const PROBES = EXTRA_HOSTS * 65535;

function logLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l !== "") : [];
}

describe("dist/prtip -sS interrupted while it sends", () => {
  let lab: Lab;
  let dir: string;
  beforeAll(() => {
    lab = labUp({ extraHosts: EXTRA_HOSTS });
    dir = mkdtempSync(join(tmpdir(), "prtip-interrupt-"));
  });
  afterAll(() => {
    lab?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  test("SIGINT stops the sending at once; the event log was on disk and progress kept coming before it", async () => {
    const log = join(dir, "scan.jsonl");
    let pid = 0;
    const run = runPrtip(
      lab.truth,
      ["-sS", "-Pn", "-n", "-p-", "--max-retries", "0", "--event-log", log, "-oJ", "-", `198.18.0.21-${20 + EXTRA_HOSTS}`],
      { onStart: (p) => (pid = p) },
    );
    // Once two progress updates (250 ms apart) and some results are on disk, with most probes still to go, interrupt.
    const onDisk = (type: string) => logLines(log).filter((l) => l.includes(`"event":"${type}"`)).length;
    const deadline = performance.now() + 30_000;
    while ((onDisk("ProgressUpdate") < 2 || onDisk("PortFound") === 0) && performance.now() < deadline) await Bun.sleep(20);
    const onDiskBefore = logLines(log).length;
    process.kill(pid, "SIGINT");
    const { code } = await run;

    expect(onDiskBefore).toBeGreaterThan(1);
    expect(code).toBe(130);
    const lines = logLines(log).map((l) => JSON.parse(l) as JsonEvent);
    const sent = only(lines, "MetricRecorded").find((m) => m.metric === "packets_sent")?.value;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(PROBES);
    expect(lines.slice(-2).map((e) => e.event)).toEqual(["ScanCancelled", "log_ended"]);
    expect(lines.at(-2)).toMatchObject({ reason: "interrupted by SIGINT", partial_results: true });
    // Progress kept coming while it sent (every 250 ms; a second's slack for a loaded machine).
    const progress = only(lines, "ProgressUpdate").map((e) => Date.parse(e.timestamp as string));
    expect(progress.length).toBeGreaterThan(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]! - progress[i - 1]!).toBeLessThan(1000);
  }, 60_000);
});

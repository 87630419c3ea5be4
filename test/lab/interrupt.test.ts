// Ctrl-C during an unthrottled SYN scan: the scan sends flat out, so this is
// about whether signals, the event log's writes and progress get a turn while
// it does. Needs root, iproute2, iptables and libpcap (all in .ci/run).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labUp, type Lab } from "./lab.ts";
import { only, runPrtip, type JsonEvent } from "./prtip.ts";

// 6.5 M probes: seconds of sending even on a machine twice as fast as this one, so the interrupt lands mid-send.
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

  test("SIGINT stops the sending at once, and the event log was on disk before it came", async () => {
    const log = join(dir, "scan.jsonl");
    let pid = 0;
    const run = runPrtip(
      lab.truth,
      ["-sS", "-Pn", "-n", "-p-", "--max-retries", "0", "--event-log", log, "-oJ", "-", `198.18.0.21-${20 + EXTRA_HOSTS}`],
      { onStart: (p) => (pid = p) },
    );
    // The first unanswered ports time out while most probes are still to go: once one of them is on disk, interrupt.
    const deadline = performance.now() + 30_000;
    while (!logLines(log).some((l) => l.includes('"PortFound"')) && performance.now() < deadline) await Bun.sleep(20);
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
  }, 60_000);
});

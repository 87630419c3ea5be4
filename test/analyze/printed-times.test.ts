import { describe, expect, test } from "bun:test";
import { run } from "../../src/cli/index.ts";
import { ended, ev, fakeRuntime, port, sampleLog, SCAN_A, started, text } from "./helpers.ts";

// The log is UTC, while a time typed without a zone (--since, --from) is local:
// every time the log tools print says its zone, so neither can be taken for the other.

async function prtip(args: string[], stdin = "") {
  const rt = fakeRuntime(new TextEncoder().encode(stdin));
  const code = await run(args, rt);
  return { code, out: rt.out(), err: rt.err() };
}

const replayed = (log: readonly string[], ...args: string[]) => prtip(["log", "replay", "--speed", "max", "--no-progress", ...args], text(log));

// 13.5 h after T0 (2024-11-15T10:30:00Z) is midnight UTC.
const MIDNIGHT = 13.5 * 3_600_000;

describe("times printed by replay and summary", () => {
  test("replay prints each event's time in UTC marked Z, and the date once, on a line of its own, before the first event", async () => {
    const { code, out } = await replayed(sampleLog(), "--event", "PortFound");
    expect(code).toBe(0);
    expect(out).toBe(
      [
        "-- 2024-11-15 (UTC) --",
        "10:30:00.003Z PortFound target=198.18.0.1 port=22 protocol=Tcp state=Open reason=syn-ack",
        "10:30:00.004Z PortFound target=198.18.0.1 port=80 protocol=Tcp state=Open reason=syn-ack",
        "10:30:00.005Z PortFound target=198.18.0.2 port=22 protocol=Tcp state=Closed reason=rst",
        "10:30:00.006Z PortFound target=198.18.1.9 port=443 protocol=Tcp state=Open reason=syn-ack",
        "",
      ].join("\n"),
    );
  });

  test("replay prints the date again when the UTC date changes (a scan across midnight), and only then", async () => {
    const log = [
      started(0),
      ev("ScanStarted", MIDNIGHT - 2, { scan_type: "Connect", target_count: 1, port_count: 3 }),
      port(MIDNIGHT - 1, "127.0.0.1", 22),
      port(MIDNIGHT, "127.0.0.1", 80),
      port(MIDNIGHT + 1, "127.0.0.1", 443),
      ended(MIDNIGHT + 1, 4),
    ];
    const { out } = await replayed(log, "--event", "PortFound");
    expect(out.split("\n").map((l) => l.replace(/ target=.*/, ""))).toEqual([
      "-- 2024-11-15 (UTC) --",
      "23:59:59.999Z PortFound",
      "-- 2024-11-16 (UTC) --",
      "00:00:00.000Z PortFound",
      "00:00:00.001Z PortFound",
      "",
    ]);
  });

  test("a printed date and time, given to --from as they are, start the replay at that event", async () => {
    const log = sampleLog();
    const lines = (await replayed(log)).out.split("\n");
    const date = lines[0]!.slice(3, 13);
    const at = lines.find((l) => l.includes(" ServiceDetected "))!;
    const from = await replayed(log, "--from", `${date} ${at.slice(0, 13)}`);
    expect(from.out.split("\n").slice(0, 2)).toEqual([lines[0]!, at]);
  });

  test("summary shows start and end in UTC with Z to the millisecond, even when a line was written with an offset or nine decimals; --json keeps the log's text", async () => {
    const log = sampleLog().map((l) =>
      l.startsWith('{"event":"ScanStarted"')
        ? l.replace('"2024-11-15T10:30:00.000Z"', '"2024-11-15T11:30:00.000+01:00"')
        : l.startsWith('{"event":"ScanCompleted"')
          ? l.replace('"2024-11-15T10:30:00.016Z"', '"2024-11-15T10:30:00.016123456Z"')
          : l,
    );
    const table = await prtip(["log", "summary"], text(log));
    expect(table.code).toBe(0);
    expect(table.out).toContain("\n  start  ");
    const times = table.out.split("\n").filter((l) => /^ {2}(start|end) /.test(l));
    expect(times.map((l) => l.split(/\s+/).slice(1))).toEqual([
      ["start", "2024-11-15T10:30:00.000Z"],
      ["end", "2024-11-15T10:30:00.016Z"],
    ]);
    const md = await prtip(["log", "summary", "--markdown"], text(log));
    expect(md.out).toContain("| start | 2024-11-15T10:30:00.000Z |");
    const json = JSON.parse((await prtip(["log", "summary", "--json"], text(log))).out) as { scans: { scanId: string; start: string; end: string }[] };
    expect(json.scans.map((s) => [s.scanId, s.start, s.end])).toEqual([[SCAN_A, "2024-11-15T11:30:00.000+01:00", "2024-11-15T10:30:00.016123456Z"]]);
  });
});

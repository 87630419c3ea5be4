import { describe, expect, test } from "bun:test";
import { run } from "../../src/cli/index.ts";
import { ended, ev, fakeRuntime, port, SCAN_A, SCAN_B, started, tempDir, text } from "../analyze/helpers.ts";

// --scan-id: the whole id or a unique prefix (git/docker habit), on every log
// command; diff compares two scans of one file.

async function prtip(args: string[], stdin = "") {
  const rt = fakeRuntime(new TextEncoder().encode(stdin));
  const code = await run(args, rt);
  return { code, out: rt.out(), err: rt.err() };
}

const SCAN_C = "3f2b0000-0000-4000-8000-000000000000"; // shares 3f2b with SCAN_A

/** One scan: 127.0.0.1 with `p` in `state`. */
const scan = (id: string, ms: number, p: number, state = "Open") => [
  ev("ScanStarted", ms, { scan_type: "Connect", target_count: 1, port_count: 1 }, id),
  port(ms + 1, "127.0.0.1", p, state, id),
  ev("ScanCompleted", ms + 2, { targets_scanned: 1, ports_scanned: 1, duration: 0.002, hosts_up: 1, open_ports: state === "Open" ? 1 : 0, closed_ports: 0, filtered_ports: 0, services_detected: 0 }, id),
];
/** A daily log: the morning scan (A: 8009 open), the evening one (B: 8009 closed). */
const daily = text([started(0), ...scan(SCAN_A, 0, 8009), ...scan(SCAN_B, 10, 8009, "Closed"), ended(20, 6)]);

describe("--scan-id", () => {
  test("--scan-id takes a unique prefix of the id, in any case", async () => {
    for (const id of ["3f2b8c1e", "3F2B8C1E-7d4a", SCAN_A]) {
      expect({ id, ...(await prtip(["log", "filter", "--count", "--scan-id", id], daily)) }).toEqual({ id, code: 0, out: "3\n", err: "" });
    }
  });

  test("a value that is not hex digits and dashes is refused, exit 2, naming it", async () => {
    for (const bad of ["nope", "3f2b 8c1e", "-3f2b"]) {
      const { code, out, err } = await prtip(["log", "filter", "--count", `--scan-id=${bad}`], daily);
      expect({ bad, code, out }).toEqual({ bad, code: 2, out: "" });
      expect(err).toBe(`prtip: invalid value for --scan-id ${JSON.stringify(bad)}: expected a scan id or the start of one: hex digits and dashes (3f2b8c1e)\n`);
    }
  });

  test("a prefix that starts two scans of the input is refused, naming both", async () => {
    const two = text([started(0), ...scan(SCAN_A, 0, 22), ...scan(SCAN_C, 10, 22), ended(20, 6)]);
    for (const sub of [["filter", "--count"], ["summary"], ["tail"], ["replay", "--speed", "max", "--emit"]]) {
      const { code, err } = await prtip(["log", ...sub, "--scan-id", "3f2b"], two);
      expect({ sub, code, err }).toEqual({ sub, code: 2, err: `prtip: ambiguous --scan-id "3f2b": it starts scan ${SCAN_A} and scan ${SCAN_C}; give more of the id\n` });
    }
    // One more character picks one of them.
    expect((await prtip(["log", "filter", "--count", "--scan-id", "3f2b8"], two)).out).toBe("3\n");
  });

  test("a prefix no scan has is said on stderr, not answered by a silent empty output", async () => {
    expect(await prtip(["log", "filter", "--count", "--scan-id", "abc"], daily)).toEqual({
      code: 0,
      out: "0\n",
      err: 'prtip: no scan in the input has an id starting with "abc"\n',
    });
    const summary = await prtip(["log", "summary", "--scan-id", "abc"], daily);
    expect(summary.err).toBe('prtip: no scan in the input has an id starting with "abc"\n');
    expect((await prtip(["log", "filter", "--event", "PortFound", "--scan-id", "abc"], daily)).err).toBe(
      'prtip: no scan in the input has an id starting with "abc" among the selected events\n',
    );
  });

  test("log summary --scan-id shows only that scan", async () => {
    const { code, out, err } = await prtip(["log", "summary", "--json", "--scan-id", "9a1c"], daily);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect((JSON.parse(out) as { scans: { scanId: string }[] }).scans.map((s) => s.scanId)).toEqual([SCAN_B]);
  });

  test("log diff --scan-id A --scan-id B FILE compares two scans of one file", async () => {
    const t = tempDir();
    try {
      const file = t.file("daily.jsonl", daily);
      expect(await prtip(["log", "diff", "--scan-id", "3f2b", "--scan-id", "9a1c", file])).toEqual({ code: 0, out: "-127.0.0.1 8009/tcp no longer open\n", err: "" });
      expect(await prtip(["log", "diff", "--scan-id", "9a1c", "--scan-id", "3f2b", file])).toEqual({ code: 0, out: "+127.0.0.1 8009/tcp open\n", err: "" });
      // With two files, the first id picks in A, the second in B.
      const morning = t.file("morning.jsonl", text([started(0), ...scan(SCAN_A, 0, 8009), ended(3, 3)]));
      expect(await prtip(["log", "diff", "--scan-id", "3f2b", "--scan-id", "9a1c", morning, file])).toEqual({ code: 0, out: "-127.0.0.1 8009/tcp no longer open\n", err: "" });
    } finally {
      t.cleanup();
    }
  });

  test("log diff refuses a scan id that matches nothing, and miscounted files or ids", async () => {
    const t = tempDir();
    try {
      const file = t.file("daily.jsonl", daily);
      const none = await prtip(["log", "diff", "--scan-id", "3f2b", "--scan-id", "abcd", file]);
      expect(none).toEqual({ code: 2, out: "", err: `prtip: invalid --scan-id "abcd" for B: no scan in ${file} has an id starting with it\n` });
      for (const args of [["--scan-id", "3f2b", file], [file], ["--scan-id", "3f2b", file, file], [file, file, file], ["--scan-id", "3f2b", "--scan-id", "9a1c", "-"]]) {
        const { code, out, err } = await prtip(["log", "diff", ...args], daily);
        expect({ args, code, out }).toEqual({ args, code: 2, out: "" });
        expect(err).toContain("log diff");
      }
    } finally {
      t.cleanup();
    }
  });
});

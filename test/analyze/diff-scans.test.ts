import { describe, expect, test } from "bun:test";
import { run } from "../../src/cli/index.ts";
import { ended, ev, fakeRuntime, port, SCAN_A, SCAN_B, started, tempDir, text } from "./helpers.ts";

// log diff A B where a side holds several scans (a daily log, a rerun appended to a
// nightly one): still compared merged, as before, but said in one stderr line.

async function prtip(args: string[], stdin = "") {
  const rt = fakeRuntime(new TextEncoder().encode(stdin));
  const code = await run(args, rt);
  return { code, out: rt.out(), err: rt.err() };
}

const SCAN_N = "5e6f7a8b-1c2d-4e3f-8a9b-0c1d2e3f4a5b";

/** One completed scan of 127.0.0.1 with port `p` in `state`. */
const scan = (id: string, ms: number, p: number, state = "Open") => [
  ev("ScanStarted", ms, { scan_type: "Connect", target_count: 1, port_count: 1 }, id),
  port(ms + 1, "127.0.0.1", p, state, id),
  ev("ScanCompleted", ms + 2, { targets_scanned: 1, ports_scanned: 1, duration: 0.002, hosts_up: 1, open_ports: state === "Open" ? 1 : 0, closed_ports: 0, filtered_ports: 0, services_detected: 0 }, id),
];
const log = (...scans: string[][]) => text([started(0), ...scans.flat(), ended(1000, scans.flat().length)]);

describe("log diff of a side holding several scans", () => {
  test("a side with two scans is named in one stderr line with their short ids and --scan-id, and still compared merged (each port's last state), exit 0", async () => {
    const t = tempDir();
    try {
      // The daily log: 8009 open in the morning (A), closed in the evening (B). Tonight's: open again.
      const daily = t.file("daily.jsonl", log(scan(SCAN_A, 0, 8009), scan(SCAN_B, 10, 8009, "Closed")));
      const tonight = t.file("tonight.jsonl", log(scan(SCAN_N, 20, 8009)));
      expect(await prtip(["log", "diff", daily, tonight])).toEqual({
        code: 0,
        out: "+127.0.0.1 8009/tcp open\n",
        err: `prtip: A ${JSON.stringify(daily)} holds 2 scans (3f2b8c1e, 9a1c2b3d), compared merged (each port's last state); --scan-id A-ID --scan-id B-ID picks one scan per side\n`,
      });
      // The ids as the note gives them pick the scans.
      expect(await prtip(["log", "diff", "--scan-id", "3f2b8c1e", "--scan-id", "5e6f7a8b", daily, tonight])).toEqual({ code: 0, out: "no differences\n", err: "" });
      const asB = await prtip(["log", "diff", tonight, daily]);
      expect(asB.err).toStartWith(`prtip: B ${JSON.stringify(daily)} holds 2 scans (3f2b8c1e, 9a1c2b3d)`);
      expect(asB.out).toBe("-127.0.0.1 8009/tcp no longer open\n");
    } finally {
      t.cleanup();
    }
  });

  test("nightly logs of one scan each are diffed with nothing on stderr", async () => {
    const t = tempDir();
    try {
      const monday = t.file("monday.jsonl", log(scan(SCAN_A, 0, 8009)));
      const tuesday = t.file("tuesday.jsonl", log(scan(SCAN_B, 10, 8009, "Closed")));
      expect(await prtip(["log", "diff", monday, tuesday])).toEqual({ code: 0, out: "-127.0.0.1 8009/tcp no longer open\n", err: "" });
    } finally {
      t.cleanup();
    }
  });

  test("ids that share their first 8 characters are shown long enough to tell apart, as --scan-id takes them", async () => {
    const t = tempDir();
    try {
      const twin = "3f2b8c1e-0000-4000-8000-000000000000";
      const a = t.file("a.jsonl", log(scan(SCAN_A, 0, 22), scan(twin, 10, 22, "Closed"), scan(SCAN_B, 20, 22)));
      const b = t.file("b.jsonl", log(scan(SCAN_N, 30, 22)));
      const { err } = await prtip(["log", "diff", a, b]);
      expect(err).toContain("holds 3 scans (3f2b8c1e-7, 3f2b8c1e-0, 9a1c2b3d)");
      expect((await prtip(["log", "diff", "--scan-id", "3f2b8c1e-0", "--scan-id", "5e6f", a, b])).out).toBe("+127.0.0.1 22/tcp open\n");
    } finally {
      t.cleanup();
    }
  });

  test("a log of many scans names the first two, the last two and how many between, in log order", async () => {
    const t = tempDir();
    try {
      const ids = Array.from({ length: 7 }, (_, i) => `${String(i + 1).repeat(8)}-0000-4000-8000-000000000000`);
      const hourly = t.file("hourly.jsonl", log(...ids.map((id, i) => scan(id, i * 10, 22))));
      const b = t.file("b.jsonl", log(scan(SCAN_N, 100, 22)));
      const { code, err } = await prtip(["log", "diff", hourly, b]);
      expect(code).toBe(0);
      expect(err).toContain("holds 7 scans (11111111, 22222222, ... 3 more, 66666666, 77777777)");
    } finally {
      t.cleanup();
    }
  });

  test("diff --json lists the scans each side was made of, in full", async () => {
    const t = tempDir();
    try {
      const daily = t.file("daily.jsonl", log(scan(SCAN_A, 0, 8009), scan(SCAN_B, 10, 8009, "Closed")));
      const tonight = t.file("tonight.jsonl", log(scan(SCAN_N, 20, 8009)));
      const { out } = await prtip(["log", "diff", "--json", daily, tonight]);
      expect((JSON.parse(out) as { scans: unknown }).scans).toEqual({ a: [SCAN_A, SCAN_B], b: [SCAN_N] });
      const picked = await prtip(["log", "diff", "--json", "--scan-id", "9a1c", "--scan-id", "5e6f", daily, tonight]);
      expect((JSON.parse(picked.out) as { scans: unknown }).scans).toEqual({ a: [SCAN_B], b: [SCAN_N] });
    } finally {
      t.cleanup();
    }
  });
});

import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { Anomalies, compileLineFilter, tail } from "../../src/analyze/index.ts";
import { run } from "../../src/cli/index.ts";
import { openLogSources } from "../../src/log/index.ts";
import { ended, ev, fakeRuntime, port, started, tempDir, text } from "./helpers.ts";

async function tailOf(paths: string[], lines: number, fromEnd: boolean) {
  const out: string[] = [];
  const reports: string[] = [];
  const anomalies = new Anomalies((m) => reports.push(m), false, 100);
  const write = (c: string | Uint8Array) => void out.push(typeof c === "string" ? c : new TextDecoder().decode(c));
  await tail(await openLogSources(paths), { lines, follow: false, keep: compileLineFilter({}), fromEnd, sleep: async () => {} }, { write }, anomalies);
  return { out: out.join(""), reports, exit: anomalies.exitCode() };
}

const ports = (from: number, count: number) => Array.from({ length: count }, (_, i) => port(from + i, "198.18.0.1", from + i));
// Past the 64 KiB block: a line read from two blocks, and one that is most of a block on its own.
const long = ev("WarningIssued", 50, { message: "x".repeat(150_000), severity: "low", code: "long" });

const FILES: Record<string, string | Uint8Array> = {
  clean: text([started(0), ...ports(1, 40), ended(99, 40)]),
  "torn last line": text([started(0), ...ports(1, 5)]) + port(9, "198.18.0.1", 9).slice(0, 40),
  crlf: text([started(0), ...ports(1, 5)]).replaceAll("\n", "\r\n"),
  "blank and malformed lines among the last": text([started(0), ...ports(1, 3), "", "{not json", port(7, "198.18.0.1", 7), "", '{"event":"PortFound","port":', port(8, "198.18.0.1", 8)]),
  "lines longer than a block": text([started(0), port(1, "198.18.0.1", 1), long, port(2, "198.18.0.1", 2), long, long, port(3, "198.18.0.1", 3)]),
  "no newline at all": port(1, "198.18.0.1", 1),
  empty: "",
  gzipped: gzipSync(text([started(0), ...ports(1, 5), ended(9, 5)])),
};

describe("log tail -n reads a plain file from its end", () => {
  for (const [name, data] of Object.entries(FILES)) {
    test(`${name}: the same lines as the forward read, and the same reports when it reads the whole file`, async () => {
      const t = tempDir();
      try {
        const path = t.file("scan.jsonl", data);
        for (const n of [0, 1, 2, 3, 5]) expect((await tailOf([path], n, true)).out).toBe((await tailOf([path], n, false)).out);
        expect(await tailOf([path], 1000, true)).toEqual(await tailOf([path], 1000, false));
      } finally {
        t.cleanup();
      }
    });
  }

  test("a bad line among the last N is named with its line number, as the forward read names it", async () => {
    const t = tempDir();
    try {
      const path = t.file("scan.jsonl", FILES["blank and malformed lines among the last"]!);
      const r = await tailOf([path], 2, true);
      expect(r.reports).toEqual([`${path}:9: malformed line skipped`]);
      expect(r.exit).toBe(3);
      const torn = t.file("torn.jsonl", FILES["torn last line"]!);
      expect((await tailOf([torn], 1, true)).reports).toEqual([`${torn}:7: last line has no newline (torn write); not used`]);
    } finally {
      t.cleanup();
    }
  });

  test("lines before the last N are not read, as GNU tail: garbage at the start goes unreported; --strict still reads all", async () => {
    const t = tempDir();
    try {
      const last = ports(1, 3);
      const path = t.file("scan.jsonl", text(["garbage", ...Array.from({ length: 20_000 }, () => "{broken"), started(0), ...last]));
      const rt = fakeRuntime();
      expect(await run(["log", "tail", "-n", "2", path], rt)).toBe(0);
      expect(rt.err()).toBe("");
      expect(rt.out()).toBe(text(last.slice(1)));
      const strict = fakeRuntime();
      expect(await run(["log", "tail", "--strict", "-n", "2", path], strict)).toBe(1);
      // With a selector the forward read (and its prefilter) is kept.
      const selective = fakeRuntime();
      expect(await run(["log", "tail", "--event", "PortFound", "-n", "2", path], selective)).toBe(3);
    } finally {
      t.cleanup();
    }
  });

  test("a rotated set is read newest file first, and an older file only when the newer ones hold fewer than N", async () => {
    const t = tempDir();
    try {
      const [older, newer] = [ports(1, 3), ports(6, 2)];
      const a = t.file("scan.jsonl", text(["garbage", started(0), ...older, ended(4, 3, ',"reason":"rotated","next":"scan.1.jsonl"')]));
      const b = t.file("scan.1.jsonl", text([started(5, ',"continues":"scan.jsonl"'), ...newer]));
      expect(await tailOf([a, b], 2, true)).toEqual({ out: text(newer), reports: [], exit: 0 });
      // Given in any order, the set is read in log_started/continues order.
      expect((await tailOf([b, a], 4, true)).out).toBe(text([...older.slice(1), ...newer]));
    } finally {
      t.cleanup();
    }
  });
});

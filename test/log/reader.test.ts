import { describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileSource, openLogSources, readLines, streamSource } from "../../src/log/index.ts";
import type { ByteSource, ReadIssue } from "../../src/log/index.ts";
import { chunked, ended, gz, port, sampleLog, started, tempDir, text } from "../analyze/helpers.ts";

async function collect(sources: readonly ByteSource[]): Promise<{ lines: string[]; where: string[]; issues: ReadIssue[] }> {
  const issues: ReadIssue[] = [];
  const lines: string[] = [];
  const where: string[] = [];
  const dec = new TextDecoder();
  for await (const b of readLines(sources, (i) => issues.push(i))) {
    for (let i = 0; i < b.count; i++) {
      lines.push(dec.decode(b.buf.subarray(b.bounds[2 * i], b.bounds[2 * i + 1])));
      where.push(`${b.source}:${b.firstLine + i}`);
    }
  }
  return { lines, where, issues };
}

const LOG = sampleLog();
const BYTES = new TextEncoder().encode(text(LOG));

describe("log reader", () => {
  for (const sizes of [[1], [7], [3, 250, 1], [BYTES.length]]) {
    test(`lines survive chunk boundaries of ${sizes.join("/")} bytes`, async () => {
      const { lines, issues } = await collect([streamSource("-", chunked(BYTES, sizes))]);
      expect(lines).toEqual(LOG);
      expect(issues).toEqual([]);
    });
  }

  test("line numbers count from 1 across chunks", async () => {
    const { where } = await collect([streamSource("x", chunked(BYTES, [5]))]);
    expect(where[0]).toBe("x:1");
    expect(where[LOG.length - 1]).toBe(`x:${LOG.length}`);
  });

  test("CRLF line ends are stripped like LF", async () => {
    const crlf = new TextEncoder().encode(LOG.slice(0, 3).join("\r\n") + "\r\n");
    expect((await collect([streamSource("-", chunked(crlf, [2]))])).lines).toEqual(LOG.slice(0, 3));
  });

  test("a torn last line is reported with its line number and not emitted", async () => {
    const torn = new TextEncoder().encode(text(LOG.slice(0, 3)) + LOG[3]!.slice(0, 40));
    const { lines, issues } = await collect([streamSource("t.jsonl", chunked(torn, [64]))]);
    expect(lines).toEqual(LOG.slice(0, 3));
    expect(issues).toEqual([expect.objectContaining({ kind: "torn-line", source: "t.jsonl", line: 4 })]);
  });

  test(".gz, multi-member .gz and plain files give the same lines", async () => {
    const t = tempDir();
    try {
      const plain = t.file("a.jsonl", text(LOG));
      const single = t.file("b.jsonl.gz", gz(text(LOG)));
      const half = Math.floor(LOG.length / 2);
      const multi = t.file("c.jsonl.gz", Buffer.concat([gz(text(LOG.slice(0, half))), gz(text(LOG.slice(half)))]));
      for (const path of [plain, single, multi]) {
        const { lines, issues } = await collect(await openLogSources([path]));
        expect(lines).toEqual(LOG);
        expect(issues).toEqual([]);
      }
    } finally {
      t.cleanup();
    }
  });

  test("a gzip member boundary inside a line joins the line", async () => {
    const t = tempDir();
    try {
      const all = text(LOG);
      const cut = all.indexOf("PortFound") + 3;
      const path = t.file("m.gz", Buffer.concat([gz(all.slice(0, cut)), gz(all.slice(cut))]));
      expect((await collect(await openLogSources([path]))).lines).toEqual(LOG);
    } finally {
      t.cleanup();
    }
  });

  test("a truncated .gz yields every complete line before the damage, warns, and the next file continues", async () => {
    const t = tempDir();
    try {
      const many = Array.from({ length: 5000 }, (_, i) => port(i, `198.18.${i >> 8}.${i & 255}`, 1 + (i % 1000)));
      const full = gz(text(many));
      const cutAt = Math.floor(full.length * 0.6);
      const a = t.file("a.jsonl.gz", full.subarray(0, cutAt));
      const b = t.file("b.jsonl", text(LOG));
      const { lines, issues } = await collect(await openLogSources([a, b]));
      const fromA = lines.length - LOG.length;
      expect(fromA).toBeGreaterThan(1000);
      expect(fromA).toBeLessThan(many.length);
      expect(lines.slice(0, fromA)).toEqual(many.slice(0, fromA));
      expect(lines.slice(fromA)).toEqual(LOG);
      expect(issues.map((i): string => i.kind).sort()).toEqual(["damaged-gzip", "torn-line"]);
      expect(issues.find((i) => i.kind === "damaged-gzip")!.message).toContain(a);
    } finally {
      t.cleanup();
    }
  });

  test("a corrupt .gz warns and reading goes on with the next file", async () => {
    const t = tempDir();
    try {
      const bad = Buffer.from(gz(text(LOG)));
      bad.fill(0xff, 20, 60);
      const a = t.file("a.jsonl.gz", bad);
      const b = t.file("b.jsonl", text(LOG.slice(0, 2)));
      const { lines, issues } = await collect(await openLogSources([a, b]));
      expect(lines.slice(-2)).toEqual(LOG.slice(0, 2));
      expect(issues.some((i) => i.kind === "damaged-gzip" && i.source === a)).toBe(true);
    } finally {
      t.cleanup();
    }
  });

  test("a rotated set given out of order, or as a folder, is read in continues order", async () => {
    const t = tempDir();
    try {
      const p1 = [started(0), port(1, "198.18.0.1", 1), ended(2, 1, ',"reason":"rotated","next":"scan.2.jsonl.gz"')];
      const p2 = [started(3, ',"continues":"scan.1.jsonl"'), port(4, "198.18.0.1", 2), ended(5, 1, ',"reason":"rotated","next":"scan.jsonl"')];
      // A later part that started earlier on the clock must still come after what it continues.
      const p3 = [started(-99, ',"continues":"scan.2.jsonl.gz"'), port(6, "198.18.0.1", 3), ended(7, 1)];
      const f3 = t.file("scan.jsonl", text(p3));
      const f1 = t.file("scan.1.jsonl", text(p1));
      const f2 = t.file("scan.2.jsonl.gz", gz(text(p2)));
      const expected = [...p1, ...p2, ...p3];
      expect((await collect(await openLogSources([f3, f2, f1]))).lines).toEqual(expected);
      expect((await collect(await openLogSources([t.dir]))).lines).toEqual(expected);
    } finally {
      t.cleanup();
    }
  });

  test("a folder's dated subfolders are read too, as one set in continues order", async () => {
    const t = tempDir();
    try {
      const nov = join(t.dir, "2024", "11");
      const dec = join(t.dir, "2024", "12");
      mkdirSync(nov, { recursive: true });
      mkdirSync(dec, { recursive: true });
      const p1 = [started(0), port(1, "198.18.0.1", 1), ended(2, 1, `,"reason":"rotated","next":${JSON.stringify(join(dec, "scan-01.jsonl"))}`)];
      const p2 = [started(3, `,"continues":${JSON.stringify(join(nov, "scan-30.jsonl.gz"))}`), port(4, "198.18.0.1", 2), ended(5, 1)];
      writeFileSync(join(nov, "scan-30.jsonl.gz"), gz(text(p1)));
      writeFileSync(join(dec, "scan-01.jsonl"), text(p2));
      writeFileSync(join(dec, "notes.txt"), "not a log\n");
      expect((await collect(await openLogSources([t.dir]))).lines).toEqual([...p1, ...p2]);
    } finally {
      t.cleanup();
    }
  });

  test("a dangling symlink in a folder (a 'latest' link to a pruned log) is passed over", async () => {
    const t = tempDir();
    try {
      t.file("scan.jsonl", text(LOG));
      symlinkSync(join(t.dir, "scan.1.jsonl"), join(t.dir, "latest.jsonl"));
      expect((await collect(await openLogSources([t.dir]))).lines).toEqual(LOG);
    } finally {
      t.cleanup();
    }
  });

  test("a file source with a limit reads only that many bytes (tail -f starts following there)", async () => {
    const t = tempDir();
    try {
      const path = t.file("a.jsonl", text(LOG));
      const limit = text(LOG.slice(0, 3)).length;
      expect((await collect([fileSource(path, limit)])).lines).toEqual(LOG.slice(0, 3));
    } finally {
      t.cleanup();
    }
  });

  test("- reads stdin", async () => {
    const { lines } = await collect(await openLogSources(["-"], { stdin: () => chunked(BYTES, [100]) }));
    expect(lines).toEqual(LOG);
  });

  test("a gzipped stdin is inflated too", async () => {
    const { lines } = await collect(await openLogSources(["-"], { stdin: () => chunked(gz(text(LOG)), [9]) }));
    expect(lines).toEqual(LOG);
  });

  test("a missing file is an error naming it", async () => {
    await expect(openLogSources(["/nonexistent/prtip.jsonl"])).rejects.toThrow("/nonexistent/prtip.jsonl");
  });

  test("a segment left both plain and gzipped (crash between compress's rename and unlink, or gzip -k) is read once, from the plain file, and the copy named", async () => {
    const t = tempDir();
    try {
      const p1 = [started(0), port(1, "198.18.0.1", 1), ended(2, 1, ',"reason":"rotated","next":"scan.jsonl"')];
      const p2 = [started(3, ',"continues":"scan.1.jsonl"'), port(4, "198.18.0.1", 2), ended(5, 1)];
      t.file("scan.1.jsonl", text(p1));
      t.file("scan.1.jsonl.gz", gz(text(p1)));
      t.file("scan.jsonl", text(p2));
      const { lines, issues } = await collect(await openLogSources([t.dir]));
      expect(lines).toEqual([...p1, ...p2]);
      expect(issues.map((i) => [i.kind, i.message])).toEqual([
        ["duplicate", `${join(t.dir, "scan.1.jsonl.gz")}: same log as ${join(t.dir, "scan.1.jsonl")} (same first lines); read once, from ${join(t.dir, "scan.1.jsonl")}`],
      ]);
    } finally {
      t.cleanup();
    }
  });

  test("two logs that start alike but hold different scans are both read", async () => {
    const t = tempDir();
    try {
      const a = [started(0), port(1, "198.18.0.1", 1), ended(2, 1)];
      const b = [started(0), port(1, "198.18.0.1", 1, "Closed"), ended(2, 1)];
      const { lines, issues } = await collect(await openLogSources([t.file("a.jsonl", text(a)), t.file("b.jsonl", text(b))]));
      expect(lines).toEqual([...a, ...b]);
      expect(issues).toEqual([]);
    } finally {
      t.cleanup();
    }
  });

  test("a zero-byte file, or one of blank lines, is named as not an event log; an empty stdin is not", async () => {
    const t = tempDir();
    try {
      const empty = t.file("empty.jsonl", "");
      const blank = t.file("blank.jsonl", "\n\n");
      const { lines, issues } = await collect([...(await openLogSources([empty, blank])), streamSource("-", chunked(new Uint8Array(0), [1]))]);
      expect(lines).toEqual(["", ""]);
      expect(issues.map((i) => [i.kind, i.message])).toEqual([
        ["not-a-log", `${empty}: empty, not an event log`],
        ["not-a-log", `${blank}: empty, not an event log`],
      ]);
    } finally {
      t.cleanup();
    }
  });

  test("a file of one torn line is reported once, as torn", async () => {
    const t = tempDir();
    try {
      const { issues } = await collect(await openLogSources([t.file("torn.jsonl", '{"event":"log_sta')]));
      expect(issues.map((i) => i.kind)).toEqual(["torn-line"]);
    } finally {
      t.cleanup();
    }
  });
});

import { describe, expect, test } from "bun:test";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/index.ts";
import { ended, ev, fakeRuntime, gz, port, sampleLog, started, tempDir, text } from "./helpers.ts";

const LOG = sampleLog();

async function prtip(args: string[], stdin = "") {
  const rt = fakeRuntime(new TextEncoder().encode(stdin));
  const code = await run(args, rt);
  return { code, out: rt.out(), err: rt.err() };
}

describe("prtip log command line", () => {
  test("prtip log --help prints the log commands and exits 0", async () => {
    const { code, out } = await prtip(["log", "--help"]);
    expect(code).toBe(0);
    expect(out).toContain("filter    print the matching lines");
    expect(out).toContain("--count-by FIELD");
  });

  test("a clean filter exits 0 and prints lines byte for byte", async () => {
    const { code, out, err } = await prtip(["log", "filter", "--event", "PortFound", "-"], text(LOG));
    expect(code).toBe(0);
    expect(err).toBe("");
    expect(out).toBe(text(LOG.filter((l) => l.startsWith('{"event":"PortFound"'))));
  });

  test("files after -- are read, not dropped for stdin", async () => {
    const t = tempDir();
    try {
      const path = t.file("-dash.jsonl", text(LOG));
      const { code, out } = await prtip(["log", "filter", "--count", "--", path]);
      expect(code).toBe(0);
      expect(out).toBe(`${LOG.length - 2}\n`);
    } finally {
      t.cleanup();
    }
  });

  test("stdin is the default input", async () => {
    expect((await prtip(["log", "filter", "--count"], text(LOG))).out).toBe(`${LOG.length - 2}\n`);
  });

  test("--count-by a field no matching line has still counts them as (none), as jq does, and says so on stderr", async () => {
    const n = LOG.length - 2;
    expect(await prtip(["log", "filter", "--count-by", "nosuchfield"], text(LOG))).toEqual({
      code: 0,
      out: `${n} (none)\n`,
      err: `prtip: no matching line has the field "nosuchfield" (--count-by): all ${n} counted as (none)\n`,
    });
    // Some lines have it: the (none) row is the rest, and nothing is said.
    const some = await prtip(["log", "filter", "--count-by", "port"], text(LOG));
    expect(some.out).toContain(" (none)\n");
    expect(some.err).toBe("");
    // Nothing matched: nothing to count, nothing to remark on.
    expect((await prtip(["log", "filter", "--event", "OSDetected", "--count-by", "nosuchfield"], text(LOG))).err).toBe("");
  });

  test("--count-by honours --format json: the counts parse as JSON", async () => {
    const { code, out } = await prtip(["log", "filter", "--event", "PortFound", "--count-by", "port", "--top", "1", "--format", "json"], text(LOG));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([{ port: 22, count: 2 }]);
  });

  test("a malformed line is reported with file and line and the exit code is 3", async () => {
    const { code, out, err } = await prtip(["log", "filter", "--count"], text([LOG[0]!, "garbage", LOG[1]!]));
    expect(code).toBe(3);
    expect(out).toBe("1\n");
    expect(err).toContain("prtip: -:2: malformed line skipped");
    expect(err).toContain("skipped 1: 1 malformed");
  });

  test("a line damaged in the middle (valid start and end) is skipped with exit 3, by filter, summary and count", async () => {
    const bad = LOG[4]!.replace('"target":"198.18.0.1"', '"target":"198.18"0.1"');
    const input = text([LOG[0]!, LOG[4]!, bad, LOG[5]!]);
    const lines = await prtip(["log", "filter", "--event", "PortFound"], input);
    expect(lines.code).toBe(3);
    expect(lines.out).toBe(text([LOG[4]!, LOG[5]!]));
    expect(lines.err).toContain("prtip: -:3: malformed line skipped");
    const count = await prtip(["log", "filter", "--count-by", "event"], input);
    expect([count.code, count.out]).toEqual([3, "2 PortFound\n"]);
    const summary = await prtip(["log", "summary", "--json"], input);
    expect(summary.code).toBe(3);
    expect((JSON.parse(summary.out) as { scans: { openPorts: number }[] }).scans[0]!.openPorts).toBe(2);
  });

  test("--strict stops at the first anomaly with exit 1 and says it stopped there, not that it skipped the line", async () => {
    const { code, out, err } = await prtip(["log", "filter", "--strict"], text([LOG[1]!, "garbage", LOG[2]!]));
    expect(code).toBe(1);
    expect(out).toBe("");
    // It stopped: nothing after the bad line was read, so nothing was "skipped".
    expect(err).toBe("prtip: -:2: malformed line; stopped there (--strict)\n");
  });

  test("a truncated .gz exits 3 after the lines it could read", async () => {
    const t = tempDir();
    try {
      const many = Array.from({ length: 4000 }, (_, i) => port(i, `198.18.${i >> 8}.${i & 255}`, 22));
      const packed = gz(text(many));
      const path = t.file("cut.jsonl.gz", packed.subarray(0, packed.length >> 1));
      const { code, out, err } = await prtip(["log", "filter", "--count", path]);
      expect(code).toBe(3);
      expect(Number(out)).toBeGreaterThan(100);
      expect(err).toContain(`${path}: gzip data damaged or cut short`);
    } finally {
      t.cleanup();
    }
  });

  test("a log that is there but cannot be read is not called missing", async () => {
    // As root nothing is EACCES; a symlink loop fails stat the same way, with another code.
    const t = tempDir();
    try {
      const path = join(t.dir, "loop.jsonl");
      symlinkSync(path, path);
      const { code, err } = await prtip(["log", "summary", path]);
      expect(code).toBe(2);
      expect(err).toBe(`prtip: invalid log file ${JSON.stringify(path)}: cannot read it (ELOOP)\n`);
    } finally {
      t.cleanup();
    }
  });

  test("a log's text reaches the terminal with its control characters as \\xNN: summary, table rows and diff", async () => {
    // Anyone may have written the log: a version string that clears the screen and retitles the window.
    const hostile = "Apache\u001b[2J\u001b]0;owned\u0007";
    const shown = "Apache\\x1b[2J\\x1b]0;owned\\x07";
    const log = text([
      started(0),
      port(1, "198.18.0.1", 80),
      ev("ServiceDetected", 2, { target: "198.18.0.1", port: 80, service: "HTTP", version: hostile, confidence: 90 }),
      ended(3, 2),
    ]);
    for (const args of [["log", "summary", "-"], ["log", "summary", "--markdown", "-"], ["log", "filter", "--event", "ServiceDetected", "--format", "table", "-"]]) {
      const { out } = await prtip(args, log);
      expect({ args, raw: /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(out) }).toEqual({ args, raw: false });
      expect(out).toContain(shown);
    }
    // JSON keeps the text as it was (its escapes are JSON's own).
    const { out } = await prtip(["log", "summary", "--json", "-"], log);
    expect(JSON.parse(out).scans[0].services[0].version).toBe(hostile);
  });

  test("usage errors exit 2 naming the bad value", async () => {
    for (const [args, message] of [
      [["log", "filter", "--port", "0-5"], 'invalid port range "0-5"'],
      [["log", "filter", "--category", "misc"], 'invalid category "misc"'],
      [["log", "filter", "--event", "portfound"], 'invalid event type "portfound": names are case-sensitive: did you mean PortFound?'],
      [["log", "replay", "--speed", "0"], 'invalid value for --speed "0"'],
      [["log", "filter", "--top", "3"], "--top needs --count-by"],
      [["log", "filter", "--count", "--count-by", "port"], "choose one of --count and --count-by"],
      [["log", "filter", "--nope"], 'prtip: unknown option "--nope": see prtip log --help\n'],
      [["log", "tail", "-3"], 'prtip: unknown option "-3": see prtip log --help\n'],
      [["log", "diff", "a.jsonl"], "prtip: log diff was given 1 file: log diff takes two files A B, or one FILE with --scan-id A --scan-id B (A's scan, then B's)\n"],
      // a negative number after an option is that option's bad value, not an unknown option
      [["log", "tail", "-n", "-3"], 'prtip: invalid value for --lines "-3": expected a whole number, 0 or more\n'],
      [["log", "filter", "--count-by", "port", "--top", "-2"], 'prtip: invalid value for --top "-2": expected a whole number above 0\n'],
      [["log", "replay", "--speed", "-1"], 'prtip: invalid value for --speed "-1": expected a number above 0\n'],
      [["log", "summary", "/nonexistent/x.jsonl"], 'invalid log file "/nonexistent/x.jsonl"'],
      [["log", "explode"], 'invalid log command "explode"'],
      // values reach the checks as typed, not as the numbers they look like
      [["log", "filter", "--port", "0x16"], 'invalid port range "0x16"'],
      [["log", "tail", "-n", ""], "option -n needs a value"],
      [["log", "filter", "--count-by", "port", "--top", ""], "option --top needs a value"],
    ] as const) {
      const { code, err } = await prtip([...args]);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(err).toContain(message);
    }
  });

  test("Ctrl-C stops a paced replay cleanly with exit 130", async () => {
    const slow = [LOG[1]!, port(60_000, "198.18.0.1", 22)];
    const rt = fakeRuntime(new TextEncoder().encode(text(slow)));
    const running = run(["log", "replay", "--emit"], rt);
    await new Promise((r) => setTimeout(r, 30));
    rt.signal("SIGINT");
    expect(await running).toBe(130);
    expect(rt.out().split("\n").filter(Boolean)).toHaveLength(1);
  });

  test("summary --json, replay --emit and diff run end to end", async () => {
    const summary = await prtip(["log", "summary", "--json"], text(LOG));
    expect(summary.code).toBe(0);
    expect((JSON.parse(summary.out) as { scans: unknown[] }).scans).toHaveLength(1);
    const replayed = await prtip(["log", "replay", "--speed", "max", "--emit", "--event", "PortFound"], text(LOG));
    expect(replayed.code).toBe(0);
    expect(replayed.out).toBe(text(LOG.filter((l) => l.startsWith('{"event":"PortFound"'))));
    const plain = await prtip(["log", "replay", "--speed", "max", "--event", "ServiceDetected"], text(LOG));
    expect(plain.out).toBe("-- 2024-11-15 (UTC) --\n10:30:00.008Z ServiceDetected target=198.18.0.1 port=22 service=SSH version=\"OpenSSH 9.2p1\" confidence=90\n");
    const t = tempDir();
    try {
      const a = t.file("a.jsonl", text(LOG));
      const b = t.file("b.jsonl", text(LOG.map((l) => (l.includes('"port":80,') ? l.replace('"Open"', '"Closed"') : l))));
      const d = await prtip(["log", "diff", a, b]);
      expect(d).toEqual({ code: 0, out: "-198.18.0.1 80/tcp no longer open\n", err: "" });
      // B without its PortFound for 80 never probed it: a note on stderr, and with -v a ? line.
      const narrow = t.file("narrow.jsonl", text(LOG.filter((l) => !l.includes('"port":80,'))));
      expect(await prtip(["log", "diff", a, narrow])).toEqual({
        code: 0,
        out: "no differences\n",
        err: "prtip: 1 port open in A was not scanned in B, so not called closed (-v lists them)\n",
      });
      expect((await prtip(["log", "diff", "-v", a, narrow])).out).toBe("?198.18.0.1 80/tcp open in A, not scanned in B\n");
    } finally {
      t.cleanup();
    }
  });

  test("a zero-byte file is named as not an event log and exits 3, by summary, filter and diff; diff says why B looks all new", async () => {
    const t = tempDir();
    try {
      const empty = t.file("empty.jsonl", "");
      const a = t.file("a.jsonl", text(LOG));
      const summary = await prtip(["log", "summary", empty]);
      expect(summary.code).toBe(3);
      expect(summary.err).toContain(`prtip: ${empty}: empty, not an event log\n`);
      const count = await prtip(["log", "filter", "--count", empty]);
      expect([count.code, count.out]).toEqual([3, "0\n"]);
      expect(count.err).toContain("empty, not an event log");
      const d = await prtip(["log", "diff", empty, a]);
      expect(d.code).toBe(3);
      expect(d.err).toContain(`prtip: A ${JSON.stringify(empty)} holds no events (not an event log?): every host and port of B shows as new\n`);
      expect(d.err).not.toContain("has no ScanCompleted");
      // An empty stdin is an upstream that selected nothing, not a broken log.
      expect(await prtip(["log", "filter", "--count"], "")).toEqual({ code: 0, out: "0\n", err: "" });
    } finally {
      t.cleanup();
    }
  });

  test("a log given both plain and gzipped (a folder after a crash mid-compress) counts once and exits 3 naming the copy", async () => {
    const t = tempDir();
    try {
      t.file("scan.jsonl", text(LOG));
      t.file("scan.jsonl.gz", gz(text(LOG)));
      const { code, out, err } = await prtip(["log", "filter", "--count", t.dir]);
      expect([code, out]).toEqual([3, `${LOG.length - 2}\n`]);
      expect(err).toContain(`scan.jsonl.gz: same log as ${join(t.dir, "scan.jsonl")}`);
    } finally {
      t.cleanup();
    }
  });

  test("replay --emit writes each event's own line: its seq kept, gaps (lost events) and all, not renumbered from 1", async () => {
    // seq 2 and 3 of the log are gone; an unknown field passes through as written.
    const gappy = LOG.filter((_, i) => i !== 2 && i !== 3).map((l, i) => (i === 2 ? l.replace('"protocol":"Tcp"', '"protocol":"Tcp","note":"kept"') : l));
    const events = gappy.slice(1, -1);
    const { code, out } = await prtip(["log", "replay", "--speed", "max", "--emit"], text(gappy));
    expect(code).toBe(0);
    expect(out).toBe(text(events));
    const late = await prtip(["log", "replay", "--speed", "max", "--emit", "--from", "2024-11-15T10:30:00.010Z"], text(LOG));
    expect(late.out.split("\n")[0]).toBe(LOG.find((l) => l.includes('"timestamp":"2024-11-15T10:30:00.010Z"')));
  });
});

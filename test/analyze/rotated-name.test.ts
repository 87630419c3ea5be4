import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { run } from "../../src/cli/index.ts";
import { rotatedSet } from "../../src/log/index.ts";
import { ended, fakeRuntime, gz, port, started, tempDir, text } from "./helpers.ts";

async function prtip(args: string[]) {
  const rt = fakeRuntime(new Uint8Array());
  const code = await run(args, rt);
  return { code, out: rt.out(), err: rt.err() };
}

/** What `--event-log scan.jsonl --event-log-rotation size --event-log-max-files 3 --event-log-compression` leaves: scan.jsonl pruned, the live file numbered up. */
function sizeRotatedSet(t: ReturnType<typeof tempDir>) {
  const at = (n: number) => join(t.dir, n === 0 ? "scan.jsonl" : `scan.${n}.jsonl`);
  t.file("scan.9.jsonl.gz", gz(text([started(0, `,"continues":"${at(8)}"`), port(1, "198.18.0.1", 21), ended(2, 1, `,"reason":"rotated","next":"${at(9)}"`)])));
  t.file("scan.10.jsonl.gz", gz(text([started(3, `,"continues":"${at(9)}"`), port(4, "198.18.0.1", 22), ended(5, 1, `,"reason":"rotated","next":"${at(11)}"`)])));
  t.file("scan.11.jsonl", text([started(6, `,"continues":"${at(10)}"`), port(7, "198.18.0.1", 80), port(8, "198.18.0.1", 443)]));
  t.file("notes.txt", "not a log\n");
  t.file("scanner.jsonl", text([started(0), port(1, "198.18.0.9", 9), ended(2, 1)]));
  return at(0);
}

describe("a --event-log name that rotation made disappear reads its rotated set", () => {
  test("rotatedSet finds NAME.N.EXT[.gz] and NAME-DATE[.N].EXT[.gz], oldest first, and nothing else", async () => {
    const t = tempDir();
    try {
      const name = sizeRotatedSet(t);
      t.file("e-2024-11-16.jsonl", "");
      t.file("e-2024-11-15.1.jsonl.gz", "");
      t.file("e-2024-11-15.jsonl.gz", "");
      t.file("e-2024-11-16-09.jsonl", "");
      // Awaited inside the try: returning the promise let finally remove the folder while it was being listed.
      const [s, e, none] = await Promise.all([rotatedSet(name), rotatedSet(join(t.dir, "e.jsonl")), rotatedSet(join(t.dir, "none.jsonl"))]);
      expect(s.map((p) => p.slice(t.dir.length + 1))).toEqual(["scan.9.jsonl.gz", "scan.10.jsonl.gz", "scan.11.jsonl"]);
      expect(e.map((p) => p.slice(t.dir.length + 1))).toEqual(["e-2024-11-15.jsonl.gz", "e-2024-11-15.1.jsonl.gz", "e-2024-11-16.jsonl", "e-2024-11-16-09.jsonl"]);
      expect(none).toEqual([]);
    } finally {
      t.cleanup();
    }
  });

  test("filter, summary and replay read the whole set in order; tail its newest lines", async () => {
    const t = tempDir();
    try {
      const name = sizeRotatedSet(t);
      const portsOf = (out: string) => out.trim().split("\n").map((l) => (JSON.parse(l) as { port?: number }).port);
      const filtered = await prtip(["log", "filter", "--event", "PortFound", name]);
      expect({ code: filtered.code, err: filtered.err, ports: portsOf(filtered.out) }).toEqual({ code: 0, err: "", ports: [21, 22, 80, 443] });
      const summary = await prtip(["log", "summary", "--json", name]);
      expect(summary.code).toBe(0);
      expect(summary.out).toContain("443");
      expect(summary.out).toContain("21");
      const replayed = await prtip(["log", "replay", "--speed", "max", "--emit", "--event", "PortFound", name]);
      expect(portsOf(replayed.out)).toEqual([21, 22, 80, 443]);
      expect(portsOf((await prtip(["log", "tail", "-n", "1", name])).out)).toEqual([443]);
      expect(portsOf((await prtip(["log", "tail", "-n", "3", name])).out)).toEqual([22, 80, 443]);
    } finally {
      t.cleanup();
    }
  });

  test("a name that is missing with no set around is still refused with exit 2, naming it", async () => {
    const t = tempDir();
    try {
      sizeRotatedSet(t);
      const r = await prtip(["log", "summary", join(t.dir, "scans.jsonl")]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`"${join(t.dir, "scans.jsonl")}": no such file or folder`);
    } finally {
      t.cleanup();
    }
  });

  test("daily rotation, which never writes NAME itself: NAME reads its dated files", async () => {
    const t = tempDir();
    try {
      t.file("e-2024-11-16.jsonl", text([started(86_400_000, `,"continues":"${join(t.dir, "e-2024-11-15.jsonl")}"`), port(86_400_001, "198.18.0.1", 80)]));
      t.file("e-2024-11-15.jsonl", text([started(0), port(1, "198.18.0.1", 22), ended(2, 1, `,"reason":"rotated","next":"${join(t.dir, "e-2024-11-16.jsonl")}"`)]));
      const r = await prtip(["log", "filter", "--count", join(t.dir, "e.jsonl")]);
      expect(r).toEqual({ code: 0, out: "2\n", err: "" });
    } finally {
      t.cleanup();
    }
  });
});

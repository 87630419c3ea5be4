import { describe, expect, test } from "bun:test";
import { uncreatableFolder } from "../../src/log/index.ts";

/** A file system in which only `existing` (and the root) exist. */
const fsWith = (...existing: string[]) => ({ exists: async (p: string) => p === "/" || existing.includes(p) });
/** Run from /work/u, a folder that exists, with no home folder. */
const at = { cwd: "/work/u" };
const EXISTING = ["/work", "/work/u"];

describe("which missing log folders prtip creates", () => {
  test("a typo'd absolute path whose top folder does not exist is refused, naming that folder", async () => {
    expect(await uncreatableFolder(fsWith(), "/nonexistent/x.jsonl", at)).toBe("/nonexistent");
    expect(await uncreatableFolder(fsWith(), "/nonexistent/deeper/x.jsonl", at)).toBe("/nonexistent");
    expect(await uncreatableFolder(fsWith("/var", "/var/log"), "/var/lgo/prtip/x.jsonl", at)).toBe("/var/lgo");
  });

  test("time-coded folders, and the one folder before them, are created under an existing folder that is not the root", async () => {
    expect(await uncreatableFolder(fsWith("/var", "/var/log", "/var/log/prtip"), "/var/log/prtip/%Y/%m/scan-%d.jsonl", at)).toBeNull();
    expect(await uncreatableFolder(fsWith("/var", "/var/log"), "/var/log/prtip/%Y/%m/scan.jsonl", at)).toBeNull();
    expect(await uncreatableFolder(fsWith("/srv"), "/srv/logs/scan-%Y-%m-%d.jsonl", at)).toBeNull();
    // Two missing levels before the first code: the outer one is named.
    expect(await uncreatableFolder(fsWith("/var"), "/var/lgo/prtip/%Y/scan.jsonl", at)).toBe("/var/lgo");
    // A time-coded folder right under the root is created; a fixed one there is not.
    expect(await uncreatableFolder(fsWith(), "/%Y/scan.jsonl", at)).toBeNull();
    expect(await uncreatableFolder(fsWith(), "/logs/%Y/scan.jsonl", at)).toBe("/logs");
  });

  test("folders inside the current folder or the home folder are created, however the path names them", async () => {
    const fs = fsWith(...EXISTING);
    expect(await uncreatableFolder(fs, "logs/a/b/x.jsonl", at)).toBeNull();
    expect(await uncreatableFolder(fs, "./logs/%Y/x.jsonl", at)).toBeNull();
    expect(await uncreatableFolder(fs, "x.jsonl", at)).toBeNull();
    expect(await uncreatableFolder(fs, "/work/u/logs/x.jsonl", at)).toBeNull();
    expect(await uncreatableFolder(fs, "/home/u/scans/x.jsonl", { ...at, home: "/home/u" })).toBeNull();
    expect(await uncreatableFolder(fs, "/home/u/scans/x.jsonl", { ...at, home: "/home/u/" })).toBeNull();
    // Not inside: a sibling whose name starts the same, a relative path climbing out, and a root of /.
    expect(await uncreatableFolder(fsWith("/home"), "/home/u2/deeper/x.jsonl", { ...at, home: "/home/u" })).toBe("/home/u2");
    expect(await uncreatableFolder(fs, "../../elsewhere/x.jsonl", at)).toBe("../../elsewhere");
    expect(await uncreatableFolder(fs, "/nonexistent/x.jsonl", { cwd: "/", home: "/" })).toBe("/nonexistent");
    expect(await uncreatableFolder(fs, "nonexistent/x.jsonl", { cwd: "/" })).toBe("nonexistent");
  });

  test("an escaped %% is the folder's literal % when checking it", async () => {
    expect(await uncreatableFolder(fsWith("/tmp", "/tmp/100%", "/tmp/100%/a"), "/tmp/100%%/a/b/x.jsonl", at)).toBeNull();
    expect(await uncreatableFolder(fsWith("/tmp"), "/tmp/100%%/a/x.jsonl", at)).toBe("/tmp/100%");
  });
});

import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkEventLogPath, startEventLog } from "../../src/cli/event-log-setup.ts";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import { run } from "../../src/cli/index.ts";
import { fakeRuntime } from "../analyze/helpers.ts";

describe("--event-log folders", () => {
  test("a path with two missing folders before its first time code, outside the current and home folders, is refused with exit 2 before any output file is touched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prtip-evlog-"));
    try {
      const kept = join(dir, "kept.nmap");
      writeFileSync(kept, "an earlier report\n");
      const fresh = join(dir, "fresh.gnmap");
      const log = join(dir, "nonexistent", "deeper", "x.jsonl");
      const rt = fakeRuntime();
      // Loopback only; it is refused before anything is sent.
      const code = await run(["-sT", "-p", "1", "127.0.0.1", "-oN", kept, "-oG", fresh, "--event-log", log], rt);
      expect(code).toBe(2);
      expect(rt.err()).toBe(
        `prtip: invalid event log path ${JSON.stringify(log)}: folder ${JSON.stringify(join(dir, "nonexistent"))} does not exist ` +
          "(prtip creates time-coded folders such as %Y/%m, the log's own folder in an existing one, and folders inside the current or home folder)\n",
      );
      expect(rt.out()).toBe("");
      expect(existsSync(join(dir, "nonexistent"))).toBe(false);
      expect(readFileSync(kept, "utf8")).toBe("an earlier report\n");
      expect(existsSync(fresh)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("time-coded folders, the log's own folder in an existing one, and missing folders inside the current or home folder pass the check and are created 0700", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prtip-evlog-"));
    try {
      mkdirSync(join(dir, "logs"));
      const coded = join(dir, "logs", "%Y", "%m", "scan.jsonl");
      await checkEventLogPath(coded, undefined);
      await checkEventLogPath(join(dir, "own", "x.jsonl"), undefined);
      await checkEventLogPath(join(dir, "a", "b", "x.jsonl"), dir);
      await checkEventLogPath(join(dir, "c", "d", "x.jsonl"), undefined, dir);
      await checkEventLogPath("-", undefined);
      await checkEventLogPath(null, undefined);
      await expect(checkEventLogPath(join(dir, "a", "b", "x.jsonl"), undefined)).rejects.toThrow(`folder ${JSON.stringify(join(dir, "a"))} does not exist`);
      const handle = await startEventLog(new EventBus(), { path: coded, rotation: "never", maxSize: 1e9, maxFiles: null, compression: false, rotationSuffix: null }, { stderr: fakeRuntime().stderr }, new EventFactory());
      await handle!.close();
      const year = readdirSync(join(dir, "logs"))[0]!;
      expect(statSync(join(dir, "logs", year)).mode & 0o777).toBe(0o700);
      expect(readdirSync(join(dir, "logs", year, readdirSync(join(dir, "logs", year))[0]!))).toEqual(["scan.jsonl"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

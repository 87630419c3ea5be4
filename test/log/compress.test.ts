import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "fflate";
import { EventLogger, compressFile, zlibGzip, nodeLogFs } from "../../src/log/index.ts";
import type { LogFs } from "../../src/log/index.ts";
import { FakeClock, ManualTimer, files, tempDir } from "./helpers.ts";

const STEPS = ["readFile", "writeFileSynced", "rename", "fsyncDir", "unlink"] as const;

/** The real file system, except that `step` "crashes": it throws before doing anything. */
function crashingAt(step: (typeof STEPS)[number]): LogFs {
  return { ...nodeLogFs, [step]: () => Promise.reject(new Error(`crash before ${step}`)) };
}

describe("compressing a rotated file", () => {
  const original = '{"event":"log_started","timestamp":"2024-11-15T10:30:01.123Z","version":"1.0"}\n'.repeat(50);

  for (const step of STEPS) {
    test(`a crash before ${step} leaves the plain file or a complete .gz, never a partial .gz under the final name`, async () => {
      using tmp = tempDir();
      const path = join(tmp.dir, "scans.jsonl");
      writeFileSync(path, original);
      await expect(compressFile(crashingAt(step), path, zlibGzip)).rejects.toThrow(`crash before ${step}`);
      const plain = existsSync(path) ? readFileSync(path, "utf8") : null;
      const gz = existsSync(path + ".gz") ? new TextDecoder().decode(gunzipSync(readFileSync(path + ".gz"))) : null;
      expect(plain !== null || gz !== null).toBe(true);
      if (plain !== null) expect(plain).toBe(original);
      if (gz !== null) expect(gz).toBe(original);
      // The next logger's clean-up finishes the job: one copy, no temporary file.
      const logger = await EventLogger.open({ path, clock: new FakeClock(0), timer: new ManualTimer().every, rotation: "size" });
      await logger.close();
      const names = files(tmp.dir).filter((n) => n.startsWith("scans.jsonl"));
      expect(names.length).toBe(1);
      expect(names[0] === "scans.jsonl" || names[0] === "scans.jsonl.gz").toBe(true);
    });
  }

  test("a crash while writing NAME.gz.tmp leaves the plain file; the next open removes the partial .gz.tmp", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, "scans.jsonl");
    writeFileSync(path, original);
    const dying: LogFs = {
      ...nodeLogFs,
      writeFileSynced: (p, bytes) => {
        writeFileSync(p, bytes.subarray(0, 10));
        return Promise.reject(new Error("killed"));
      },
      unlink: () => Promise.reject(new Error("killed")), // the process is gone: nothing cleans up
    };
    await expect(compressFile(dying, path, zlibGzip)).rejects.toThrow("killed");
    expect(files(tmp.dir)).toEqual(["scans.jsonl", "scans.jsonl.gz.tmp"]);
    const logger = await EventLogger.open({ path: join(tmp.dir, "scans.jsonl"), clock: new FakeClock(0), timer: new ManualTimer().every, rotation: "size" });
    await logger.close();
    expect(files(tmp.dir)).toEqual(["scans.jsonl"]);
    expect(readFileSync(path, "utf8").startsWith(original)).toBe(true);
  });

  test("success replaces the file by NAME.gz holding the same bytes", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, "scans.jsonl");
    writeFileSync(path, original);
    await compressFile(nodeLogFs, path, zlibGzip);
    expect(files(tmp.dir)).toEqual(["scans.jsonl.gz"]);
    expect(new TextDecoder().decode(gunzipSync(readFileSync(path + ".gz")))).toBe(original);
  });
});

describe("compression left undone", () => {
  test("a rotated file an earlier run did not get to compress is compressed at the next open; others stay plain", async () => {
    using tmp = tempDir();
    const ended = (extra: string) => `{"event":"log_started","timestamp":"2024-11-15T10:30:01.123Z","version":"1.0"}\n{"event":"log_ended","timestamp":"2024-11-15T10:30:01.123Z","events":0${extra}}\n`;
    const rotated = ended(`,"reason":"rotated","next":"${join(tmp.dir, "scans.2.jsonl")}"`);
    writeFileSync(join(tmp.dir, "scans.1.jsonl"), rotated);
    writeFileSync(join(tmp.dir, "scans.2.jsonl"), ended(""));
    writeFileSync(join(tmp.dir, "scans.3.jsonl"), '{"event":"log_started"'); // cut short: not rotated
    const logger = await EventLogger.open({ path: join(tmp.dir, "scans.jsonl"), clock: new FakeClock(0), timer: new ManualTimer().every, rotation: "size", compression: true });
    await logger.close();
    // This run appends to the newest file, scans.3.jsonl (after cutting its torn line).
    expect(files(tmp.dir)).toEqual(["scans.1.jsonl.gz", "scans.2.jsonl", "scans.3.jsonl"]);
    expect(new TextDecoder().decode(gunzipSync(readFileSync(join(tmp.dir, "scans.1.jsonl.gz"))))).toBe(rotated);
  });

  test("such a file in an earlier dated folder of the pattern is compressed too", async () => {
    using tmp = tempDir();
    const november = join(tmp.dir, "2024", "11");
    mkdirSync(november, { recursive: true });
    const rotated = `{"event":"log_started","timestamp":"2024-11-30T10:30:01.123Z","version":"1.0"}\n{"event":"log_ended","timestamp":"2024-11-30T23:59:59.999Z","events":0,"reason":"rotated","next":"x"}\n`;
    writeFileSync(join(november, "scan-30.jsonl"), rotated);
    const path = join(tmp.dir, "%Y", "%m", "scan-%d.jsonl");
    const logger = await EventLogger.open({ path, clock: new FakeClock(Date.UTC(2024, 11, 1, 8)), timer: new ManualTimer().every, rotation: "daily", compression: true });
    await logger.close();
    expect(files(november)).toEqual(["scan-30.jsonl.gz"]);
    expect(new TextDecoder().decode(gunzipSync(readFileSync(join(november, "scan-30.jsonl.gz"))))).toBe(rotated);
  });
});

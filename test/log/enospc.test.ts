import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EventLogger } from "../../src/log/index.ts";
import { FakeClock, ManualTimer, busWith, publishPorts, tempDir } from "./helpers.ts";

// Needs root: mounts a 256 KiB tmpfs under a fresh temp folder and unmounts it afterwards.
describe("disk full", () => {
  test("ENOSPC on a small tmpfs gives one warning and a readable log; writing resumes once space is freed", async () => {
    using tmp = tempDir();
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k,mode=0700", "prtip-log-enospc", tmp.dir]);
    try {
      const filler = join(tmp.dir, "filler");
      writeFileSync(filler, new Uint8Array(200 * 1024));
      const clock = new FakeClock(Date.UTC(2024, 10, 15));
      const { bus, factory } = busWith(clock);
      const timer = new ManualTimer();
      const warnings: { code: string; message: string }[] = [];
      const path = join(tmp.dir, "scans.jsonl");
      const logger = await EventLogger.open({ path, clock, timer: timer.every, warn: (code, message) => {
        warnings.push({ code, message });
        bus.publish(factory.make("WarningIssued", { message, severity: "high", code }));
      } });
      logger.attach(bus);
      let published = 0;
      for (let burst = 0; burst < 12; burst++) {
        publishPorts(bus, factory, 100, published);
        published += 100;
        timer.tick();
        await logger.settled();
      }
      expect(logger.stats.lost).toBeGreaterThan(0);
      const full = readFileSync(path, "utf8");
      expect(full.endsWith("\n")).toBe(true);
      rmSync(filler);
      publishPorts(bus, factory, 100, published);
      await logger.close();
      expect(warnings.map((w) => w.code)).toEqual(["event-log-write-failed"]);
      // strerror's words, as the -oN/-oG/-oX errors print them, not the errno code.
    expect(warnings[0]!.message).toContain(": No space left on device; ");
    expect(warnings[0]!.message).not.toContain("ENOSPC");
      expect(warnings[0]!.message).toMatch(/; (no event lost yet|[1-9]\d* events lost), the scan goes on/);
      const text = readFileSync(path, "utf8");
      expect(text.endsWith("\n")).toBe(true);
      const rows = text.split("\n").slice(0, -1).map((l) => JSON.parse(l) as { event: string; seq?: number; events?: number; lost?: number });
      const seqs = rows.flatMap((r) => (r.seq === undefined ? [] : [r.seq]));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs.at(-1)).toBe(bus.lastSeq); // the last events, after space came back, are in
      const end = rows.at(-1)!;
      expect(end.event).toBe("log_ended");
      expect(end.events).toBe(seqs.length);
      expect(end.events! + end.lost!).toBe(bus.lastSeq);
    } finally {
      execFileSync("umount", [tmp.dir]);
    }
  });
});

import { describe, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { EventLogger } from "../../src/log/index.ts";
import { FakeClock, ManualTimer, tempDir } from "./helpers.ts";

const BUN = join(process.cwd(), "node_modules/.bin/bun");
const CHILD = join(import.meta.dir, "child-writer.ts");

function spawnWriter(path: string, burst = 2000) {
  return Bun.spawn([BUN, CHILD, path, String(burst)], { stdout: "pipe", stderr: "pipe" });
}

async function waitForReady(child: ReturnType<typeof spawnWriter>): Promise<void> {
  const reader = child.stdout.getReader();
  let seen = "";
  while (!seen.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`child ended before ready: ${await new Response(child.stderr).text()}`);
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
}

async function waitForSize(path: string, bytes: number): Promise<void> {
  while (statSync(path).size < bytes) await Bun.sleep(5);
}

/** Every line but maybe the last parses; returns how many lines and whether the tail is torn. */
function check(path: string): { lines: number; torn: boolean } {
  const text = readFileSync(path, "utf8");
  const parts = text.split("\n");
  const tail = parts.pop()!;
  for (const line of parts) JSON.parse(line);
  return { lines: parts.length, torn: tail !== "" };
}

describe("signals and crashes", () => {
  test("SIGKILL mid-burst (three times) leaves whole lines but at most one torn tail, which the next open repairs", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, "scans.jsonl");
    for (let round = 1; round <= 3; round++) {
      const child = spawnWriter(path, 20_000);
      await waitForReady(child);
      await waitForSize(path, round * 2_000_000);
      child.kill("SIGKILL");
      expect(await child.exited).not.toBe(0);
      const before = check(path);
      const warnings: string[] = [];
      const logger = await EventLogger.open({ path, clock: new FakeClock(Date.now()), timer: new ManualTimer().every, warn: (c) => warnings.push(c) });
      await logger.close();
      expect(warnings).toEqual(before.torn ? ["event-log-torn-tail"] : []);
      const after = check(path);
      expect(after.torn).toBe(false);
      expect(after.lines).toBe(before.lines + 2);
    }
  }, 60_000);

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    test(`${signal} writes ScanCancelled and log_ended, loses nothing, and exits ${code}`, async () => {
      using tmp = tempDir();
      const path = join(tmp.dir, "scans.jsonl");
      const child = spawnWriter(path);
      await waitForReady(child);
      await waitForSize(path, 1_000_000);
      child.kill(signal);
      expect(await child.exited).toBe(code);
      const rows = readFileSync(path, "utf8").split("\n").slice(0, -1).map((l) => JSON.parse(l) as { event: string; seq?: number; reason?: string; events?: number });
      const events = rows.filter((r) => r.seq !== undefined);
      expect(rows[0]!.event).toBe("log_started");
      expect(rows.at(-2)).toMatchObject({ event: "ScanCancelled", reason: signal });
      expect(rows.at(-1)).toMatchObject({ event: "log_ended", events: events.length });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    }, 30_000);
  }
});

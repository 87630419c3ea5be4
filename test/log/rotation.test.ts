import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "fflate";
import { EventFactory, encodeEvent } from "../../src/events/index.ts";
import { EventLogger, nodeLogFs, zlibGzip } from "../../src/log/index.ts";
import type { Rotation } from "../../src/log/index.ts";
import { FakeClock, ManualTimer, busWith, files, parsed, publishPorts, tempDir } from "./helpers.ts";

const T = Date.UTC(2024, 10, 15, 10, 30, 1, 123);

function openLogger(path: string, clock: FakeClock, options: Partial<Parameters<typeof EventLogger.open>[0]>) {
  const timer = new ManualTimer();
  return EventLogger.open({ path, clock, timer: timer.every, ...options }).then((logger) => ({ logger, timer }));
}

describe("size rotation", () => {
  // Every PortFound line below has the same length: seq 1-9, one target, one port.
  async function run(maxSize: (started: number, line: number) => number) {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const make = () => factory.portFound({ target: "198.18.0.1", port: 443, protocol: "Tcp", state: "Open", reason: "syn-ack" });
    const started = '{"event":"log_started","timestamp":"2024-11-15T10:30:01.123Z","version":"1.0"}\n'.length;
    const line = encodeEvent({ ...make(), seq: 1 }).length + 1;
    const max = maxSize(started, line);
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "size", maxSize: max });
    logger.attach(bus);
    for (let i = 0; i < 7; i++) bus.publish(make());
    await logger.close();
    const first = readFileSync(join(tmp.dir, "scans.jsonl"), "utf8");
    const withoutEnd = first.slice(0, first.lastIndexOf("\n", first.length - 2) + 1);
    return { files: files(tmp.dir), first: parsed(join(tmp.dir, "scans.jsonl")), second: parsed(join(tmp.dir, "scans.1.jsonl")), max, withoutEnd, dir: tmp.dir };
  }

  test("a line that brings the file exactly to max-size stays; log_ended is the only line past it", async () => {
    const r = await run((s, l) => s + 3 * l);
    expect(r.files).toEqual(["scans.1.jsonl", "scans.2.jsonl", "scans.jsonl"]);
    expect(Buffer.byteLength(r.withoutEnd)).toBe(r.max);
    expect(r.first.map((e) => e.seq ?? e.event)).toEqual(["log_started", 1, 2, 3, "log_ended"]);
    expect(r.first.at(-1)).toMatchObject({ events: 3, reason: "rotated", next: join(r.dir, "scans.1.jsonl") });
    expect(r.second[0]).toMatchObject({ event: "log_started", continues: join(r.dir, "scans.jsonl") });
    // The second file's log_started carries "continues", so it holds one line less.
    expect(r.second.map((e) => e.seq ?? e.event)).toEqual(["log_started", 4, 5, "log_ended"]);
  });

  test("one byte less and the third line goes to the next file", async () => {
    const r = await run((s, l) => s + 3 * l - 1);
    expect(r.first.map((e) => e.seq ?? e.event)).toEqual(["log_started", 1, 2, "log_ended"]);
    expect(r.second.map((e) => e.seq ?? e.event)).toEqual(["log_started", 3, 4, "log_ended"]);
  });

  test("a line longer than max-size gets a file of its own instead of rotating forever", async () => {
    const r = await run(() => 10);
    expect(r.first.map((e) => e.seq ?? e.event)).toEqual(["log_started", 1, "log_ended"]);
    expect(r.files).toHaveLength(7);
  });
});

describe("rotation with compression", () => {
  test("1 M events across many rotations: every seq exactly once, every .gz passes gzip -t", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "size", maxSize: 8 * 1024 * 1024, compression: true });
    logger.attach(bus);
    const N = 1_000_000;
    for (let i = 0; i < N; i += 10_000) {
      publishPorts(bus, factory, 10_000, i);
      await Promise.resolve();
    }
    await logger.close();
    const names = files(tmp.dir);
    const gz = names.filter((n) => n.endsWith(".gz"));
    expect(gz.length).toBeGreaterThan(20);
    expect(names.filter((n) => !n.endsWith(".gz"))).toHaveLength(1); // only the last, unrotated file
    execFileSync("gzip", ["-t", ...gz.map((n) => join(tmp.dir, n))]);
    const seen = new Uint8Array(N + 1);
    let dupes = 0;
    const order: string[] = [];
    for (const name of names) {
      const bytes = readFileSync(join(tmp.dir, name));
      const text = new TextDecoder().decode(name.endsWith(".gz") ? gunzipSync(bytes) : bytes);
      const rows = text.split("\n").slice(0, -1).map((l) => JSON.parse(l) as { event: string; seq?: number; next?: string; continues?: string });
      expect(rows[0]!.event).toBe("log_started");
      expect(rows.at(-1)!.event).toBe("log_ended");
      for (const r of rows) if (r.seq !== undefined) seen[r.seq]! > 0 ? dupes++ : (seen[r.seq] = 1);
      order.push(`${rows[0]!.continues ?? "-"} > ${name} > ${rows.at(-1)!.next ?? "-"}`);
    }
    expect(dupes).toBe(0);
    expect(seen.subarray(1).every((v) => v === 1)).toBe(true);
    expect(order.filter((o) => o.startsWith("- >"))).toEqual(["- > scans.jsonl.gz > " + join(tmp.dir, "scans.1.jsonl")]);
  }, 120_000);

  test("a compressed file decompresses to exactly the bytes that were rotated", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const originals: Uint8Array[] = [];
    const gzip = (b: Uint8Array) => {
      originals.push(new Uint8Array(b));
      return zlibGzip(b);
    };
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "size", maxSize: 50_000, compression: true, gzip });
    logger.attach(bus);
    publishPorts(bus, factory, 600);
    await logger.close();
    expect(originals.length).toBeGreaterThan(1);
    const restored = originals.map((_, i) => gunzipSync(readFileSync(join(tmp.dir, i === 0 ? "scans.jsonl.gz" : `scans.${i}.jsonl.gz`))));
    restored.forEach((r, i) => expect(Buffer.from(r).equals(Buffer.from(originals[i]!))).toBe(true));
    expect(files(tmp.dir).some((n) => n.endsWith(".tmp"))).toBe(false);
  });

  test("a failed compression keeps the plain file and removes the temporary one", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const warnings: string[] = [];
    const gzip = () => Promise.reject(new Error("deflate exploded"));
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "size", maxSize: 5_000, compression: true, gzip, warn: (c) => warnings.push(c) });
    logger.attach(bus);
    publishPorts(bus, factory, 30);
    await logger.close();
    expect(files(tmp.dir)).toEqual(["scans.1.jsonl", "scans.jsonl"]);
    expect(warnings).toEqual(["event-log-compress-failed"]);
  });
});

describe("time rotation with an injected clock", () => {
  const cases: [Rotation, number, string[]][] = [
    ["hourly", 3_600_000, ["scans-2024-11-15-10.jsonl", "scans-2024-11-15-11.jsonl", "scans-2024-11-15-12.jsonl"]],
    ["daily", 86_400_000, ["scans-2024-11-15.jsonl", "scans-2024-11-16.jsonl", "scans-2024-11-17.jsonl"]],
    // Weekly files are named by the Monday that starts the week.
    ["weekly", 7 * 86_400_000, ["scans-2024-11-11.jsonl", "scans-2024-11-18.jsonl", "scans-2024-11-25.jsonl"]],
  ];
  for (const [rotation, period, expected] of cases) {
    test(`${rotation}: a new file per period; a clock stepping back stays in the current file`, async () => {
      using tmp = tempDir();
      const clock = new FakeClock(T);
      const { bus, factory } = busWith(clock);
      const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation });
      logger.attach(bus);
      publishPorts(bus, factory, 2, 0);
      await Promise.resolve();
      clock.t += period;
      publishPorts(bus, factory, 2, 2);
      await Promise.resolve();
      clock.t -= period + 5_000; // the clock steps back into the first period
      publishPorts(bus, factory, 2, 4);
      await Promise.resolve();
      clock.t += 2 * period + 5_000;
      publishPorts(bus, factory, 2, 6);
      await logger.close();
      expect(files(tmp.dir)).toEqual(expected);
      const seqs = expected.map((name) => parsed(join(tmp.dir, name)).flatMap((e) => (e.seq === undefined ? [] : [e.seq])));
      expect(seqs).toEqual([[1, 2], [3, 4, 5, 6], [7, 8]]);
      expect(parsed(join(tmp.dir, expected[0]!)).at(-1)).toMatchObject({ reason: "rotated", next: join(tmp.dir, expected[1]!) });
    });
  }

  test("the timer rotates at the boundary even when no event arrives", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(Date.UTC(2024, 10, 15, 23, 59, 59));
    const { logger, timer } = await openLogger(join(tmp.dir, "scan-%Y%m%d.jsonl"), clock, { rotation: "daily" });
    clock.t += 2_000;
    timer.tick();
    await logger.settled();
    expect(files(tmp.dir)).toEqual(["scan-20241115.jsonl", "scan-20241116.jsonl"]);
    expect(parsed(join(tmp.dir, "scan-20241115.jsonl")).map((e) => e.event)).toEqual(["log_started", "log_ended"]);
    await logger.close();
  });

  test("with a max size, a period's file also rotates by size, into NAME-DATE.1.jsonl, as logrotate's maxsize", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "daily", maxSize: 600 });
    logger.attach(bus);
    publishPorts(bus, factory, 6, 0);
    await logger.settled();
    clock.t += 86_400_000;
    publishPorts(bus, factory, 1, 6);
    await logger.close();
    const names = files(tmp.dir);
    expect(names.length).toBeGreaterThan(2);
    expect(names).toContain("scans-2024-11-15.1.jsonl");
    expect(names.at(-1)).toBe("scans-2024-11-16.jsonl");
    for (const name of names) expect(readFileSync(join(tmp.dir, name)).length).toBeLessThan(600 + 200);
  });

  test("without a max size a period's file is never cut by size (no 100 MB default)", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "daily" });
    logger.attach(bus);
    publishPorts(bus, factory, 50, 0);
    await logger.close();
    expect(files(tmp.dir)).toEqual(["scans-2024-11-15.jsonl"]);
  });

  test("a period whose file was already compressed gets an index instead of overwriting it", async () => {
    using tmp = tempDir();
    writeFileSync(join(tmp.dir, "scans-2024-11-15.jsonl.gz"), "old");
    const clock = new FakeClock(T);
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "daily" });
    await logger.close();
    expect(files(tmp.dir)).toEqual(["scans-2024-11-15.1.jsonl", "scans-2024-11-15.jsonl.gz"]);
  });
});

describe("max-files", () => {
  test("keeps the newest N files of the pattern and leaves other files alone", async () => {
    using tmp = tempDir();
    writeFileSync(join(tmp.dir, "notes.txt"), "mine");
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "size", maxSize: 3_000, maxFiles: 3, compression: true });
    logger.attach(bus);
    for (let i = 0; i < 10; i++) {
      publishPorts(bus, factory, 10, i * 10);
      await logger.settled();
    }
    await logger.close();
    const names = files(tmp.dir);
    expect(names).toContain("notes.txt");
    const logs = names.filter((n) => n !== "notes.txt");
    expect(logs).toHaveLength(3);
    const last = Math.max(...logs.map((n) => Number(/scans\.(\d+)/.exec(n)?.[1] ?? 0)));
    expect(logs).toEqual([`scans.${last - 2}.jsonl.gz`, `scans.${last - 1}.jsonl.gz`, `scans.${last}.jsonl`]);
  });

  test("counts the files of every dated folder the pattern writes to (logs/%Y/%m/scan-%d.jsonl)", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(Date.UTC(2024, 10, 28, 12));
    const { bus, factory } = busWith(clock);
    mkdirSync(join(tmp.dir, "logs", "2024", "11"), { recursive: true });
    writeFileSync(join(tmp.dir, "logs", "2024", "11", "notes.txt"), "mine");
    const pattern = join(tmp.dir, "logs", "%Y", "%m", "scan-%d.jsonl");
    const { logger, timer } = await openLogger(pattern, clock, { rotation: "daily", maxFiles: 3, compression: true });
    logger.attach(bus);
    for (let day = 0; day < 6; day++) {
      publishPorts(bus, factory, 5, day * 5);
      await logger.settled();
      clock.t += 86_400_000;
      timer.tick();
      await logger.settled();
    }
    await logger.close();
    const tree = (sub: string) => files(join(tmp.dir, "logs", "2024", sub));
    // Nov 28 - Dec 4 were written; the newest three are Dec 2, 3 and 4 (the active one).
    expect(tree("11")).toEqual(["notes.txt"]);
    expect(tree("12")).toEqual(["scan-02.jsonl.gz", "scan-03.jsonl.gz", "scan-04.jsonl"]);
  });

  test("a second run after pruning keeps its own newest files, not the first run's (names never go back to a pruned index)", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const path = join(tmp.dir, "scans.jsonl");
    const scanIds: string[] = [];
    for (const run of [1, 2]) {
      const bus = busWith(clock).bus;
      const factory = new EventFactory(`3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7${run}`, clock);
      scanIds.push(factory.scanId);
      const { logger } = await openLogger(path, clock, { rotation: "size", maxSize: 3_000, maxFiles: 3, compression: true });
      logger.attach(bus);
      for (let i = 0; i < 10; i++) {
        publishPorts(bus, factory, 10, i * 10);
        await logger.settled();
      }
      await logger.close();
    }
    const logs = files(tmp.dir);
    expect(logs).toHaveLength(3);
    const text = (name: string) => (name.endsWith(".gz") ? gunzipSync(readFileSync(join(tmp.dir, name))) : readFileSync(join(tmp.dir, name)));
    const ids = logs.map((n) => new TextDecoder().decode(text(n)).match(/"scan_id":"([^"]+)"/g)?.at(-1));
    // The newest three files all hold the second run's lines.
    expect(ids).toEqual(Array(3).fill(`"scan_id":"${scanIds[1]}"`));
  });

  test("a crash's leftovers are cleaned: .gz.tmp removed, plain file beside its .gz removed", async () => {
    using tmp = tempDir();
    writeFileSync(join(tmp.dir, "scans.1.jsonl.gz.tmp"), "partial");
    writeFileSync(join(tmp.dir, "scans.2.jsonl"), "plain\n");
    writeFileSync(join(tmp.dir, "scans.2.jsonl.gz"), "complete");
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "size", maxSize: 3_000, maxFiles: 10 });
    logger.attach(bus);
    publishPorts(bus, factory, 20);
    await logger.close();
    const names = files(tmp.dir);
    expect(names).not.toContain("scans.1.jsonl.gz.tmp");
    expect(names).not.toContain("scans.2.jsonl");
    expect(names).toContain("scans.2.jsonl.gz");
  });
});

describe("what rotation makes durable", () => {
  /** Paths fsynced, by the fd they were opened as. */
  async function synced(compression: boolean): Promise<{ synced: string[]; files: string[] }> {
    using tmp = tempDir();
    const byFd = new Map<number, string>();
    const synced: string[] = [];
    const fs: typeof nodeLogFs = {
      ...nodeLogFs,
      openAppend: async (path, mode) => {
        const fd = await nodeLogFs.openAppend(path, mode);
        byFd.set(fd, path.slice(tmp.dir.length + 1));
        return fd;
      },
      fsync: async (fd) => {
        synced.push(byFd.get(fd) ?? "?");
        return nodeLogFs.fsync(fd);
      },
      writeFileSynced: async (path, bytes, mode) => {
        synced.push(path.slice(tmp.dir.length + 1));
        return nodeLogFs.writeFileSynced(path, bytes, mode);
      },
    };
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const { logger } = await openLogger(join(tmp.dir, "scans.jsonl"), clock, { rotation: "size", maxSize: 2000, compression, fs, gzip: zlibGzip });
    logger.attach(bus);
    for (let i = 0; i < 4; i++) {
      publishPorts(bus, factory, 10, i * 10);
      await Promise.resolve();
    }
    await logger.close();
    return { synced: synced.sort(), files: files(tmp.dir) };
  }

  test("without compression every file is fsynced when it is closed", async () => {
    const r = await synced(false);
    expect(r.files.length).toBeGreaterThan(2);
    expect(r.synced).toEqual(r.files);
  });

  test("with compression the .gz is fsynced before it replaces the plain file, which is not synced itself", async () => {
    const r = await synced(true);
    const gz = r.files.filter((f) => f.endsWith(".gz"));
    expect(gz.length).toBeGreaterThan(1);
    const last = r.files.filter((f) => !f.endsWith(".gz"));
    expect(r.synced).toEqual([...gz.map((f) => `${f}.tmp`), ...last].sort());
  });
});

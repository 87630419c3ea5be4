import { describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeEvent } from "../../src/events/index.ts";
import type { AnyEvent } from "../../src/events/index.ts";
import { EventLogger, nodeLogFs } from "../../src/log/index.ts";
import type { LogFs } from "../../src/log/index.ts";
import { FakeClock, ManualTimer, busWith, files, lines, parsed, publishPorts, tempDir } from "./helpers.ts";

const T = Date.UTC(2024, 10, 15, 10, 30, 1, 123);
const STARTED = '{"event":"log_started","timestamp":"2024-11-15T10:30:01.123Z","version":"1.0"}';

async function open(path: string, clock: FakeClock, extra: Partial<Parameters<typeof EventLogger.open>[0]> = {}) {
  const timer = new ManualTimer();
  const warnings: { code: string; message: string }[] = [];
  const logger = await EventLogger.open({
    path,
    clock,
    timer: timer.every,
    warn: (code, message) => warnings.push({ code, message }),
    ...extra,
  });
  return { logger, timer, warnings };
}

describe("EventLogger framing", () => {
  test("a small run is log_started, every event byte-exact with contiguous seq, then log_ended with the count", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const path = join(tmp.dir, "scans.jsonl");
    const { logger } = await open(path, clock);
    logger.attach(bus);
    const events: AnyEvent[] = [
      factory.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 2 }),
      factory.portFound({ target: "198.18.0.1", port: 22, protocol: "Tcp", state: "Open", reason: "syn-ack" }),
      factory.make("BannerGrabbed", { target: "198.18.0.1", port: 22, protocol: "Tcp", banner: "SSH-2.0-ñ \"x\"" }),
      factory.make("ScanCompleted", { targets_scanned: 1, ports_scanned: 2, duration: 0.5, hosts_up: 1, open_ports: 1, closed_ports: 1, filtered_ports: 0, services_detected: 0 }),
    ];
    for (const e of events) bus.publish(e);
    clock.t += 2000;
    await logger.close();
    expect(readFileSync(path, "utf8")).toBe(
      [
        STARTED,
        ...events.map(encodeEvent),
        '{"event":"log_ended","timestamp":"2024-11-15T10:30:03.123Z","events":4}',
      ].join("\n") + "\n",
    );
    expect(parsed(path).slice(1, -1).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test("folders are created 0700 and an existing log is appended to, never truncated", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const path = join(tmp.dir, "a", "b", "scans.jsonl");
    for (let run = 0; run < 2; run++) {
      const { bus, factory } = busWith(clock);
      const { logger } = await open(path, clock);
      logger.attach(bus);
      publishPorts(bus, factory, 3);
      await logger.close();
    }
    expect(statSync(join(tmp.dir, "a")).mode & 0o777).toBe(0o700);
    expect(statSync(join(tmp.dir, "a", "b")).mode & 0o777).toBe(0o700);
    expect(parsed(path).map((e) => e.event)).toEqual([
      ...["log_started", "PortFound", "PortFound", "PortFound", "log_ended"],
      ...["log_started", "PortFound", "PortFound", "PortFound", "log_ended"],
    ]);
  });

  test("a torn last line is cut back to the last complete line, with a warning, before appending", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, "scans.jsonl");
    const whole = STARTED + "\n" + '{"event":"log_ended","timestamp":"2024-11-15T10:30:01.123Z","events":0}\n';
    const torn = '{"event":"PortFound","scan_id":"3f2b';
    writeFileSync(path, whole + torn);
    const clock = new FakeClock(T);
    const { logger, warnings } = await open(path, clock);
    await logger.close();
    expect(warnings.map((w) => w.code)).toEqual(["event-log-torn-tail"]);
    expect(warnings[0]!.message).toContain(`removed its last ${torn.length} bytes`);
    const after = readFileSync(path, "utf8");
    expect(after.startsWith(whole + STARTED + "\n")).toBe(true);
    expect(lines(path).every((l) => JSON.parse(l))).toBe(true);
  });

  test("a file holding only a torn first line is emptied", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, "scans.jsonl");
    writeFileSync(path, '{"event":"log_sta');
    const { logger, warnings } = await open(path, new FakeClock(T));
    await logger.close();
    expect(warnings).toHaveLength(1);
    expect(lines(path)[0]).toBe(STARTED);
  });

  test("a file that is not an event log is refused and left as it was, torn last line included", async () => {
    using tmp = tempDir();
    for (const text of ["my notes\nhalf a line", "x".repeat(200_000), '{"event":"PortFound"}\n']) {
      const path = join(tmp.dir, "notes.txt");
      writeFileSync(path, text);
      await expect(open(path, new FakeClock(T))).rejects.toThrow("is not a prtip event log");
      expect(readFileSync(path, "utf8")).toBe(text);
    }
  });

  test("lines stay in memory until 8 KiB are buffered or the timer fires; publish never writes", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const path = join(tmp.dir, "scans.jsonl");
    const { logger, timer } = await open(path, clock);
    logger.attach(bus);
    await logger.settled();
    const startedOnly = readFileSync(path, "utf8");
    publishPorts(bus, factory, 5);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(readFileSync(path, "utf8")).toBe(startedOnly);
    timer.tick();
    await logger.settled();
    expect(lines(path)).toHaveLength(6);
    publishPorts(bus, factory, 60, 5); // 60 lines of ~200 bytes pass 8 KiB
    await Promise.resolve();
    await logger.settled();
    expect(lines(path)).toHaveLength(66);
    await logger.close();
    expect(timer.active).toBe(0);
  });

  test("an unopenable path is an error from open, naming the cause", async () => {
    using tmp = tempDir();
    writeFileSync(join(tmp.dir, "file"), "");
    await expect(open(join(tmp.dir, "file", "scans.jsonl"), new FakeClock(T))).rejects.toThrow(/ENOTDIR|EEXIST/);
  });
});

describe("EventLogger faults", () => {
  /** Writes fail with `code` while `failing` is set; `shortFirst` makes a failing write land half its bytes first. */
  function faultyFs(state: { failing: boolean; shortFirst: boolean; code: string }): LogFs {
    const fs: LogFs = {
      ...nodeLogFs,
      // A writev that stops after its first buffer: a legal short write.
      writev: (fd, buffers) => fs.write(fd, buffers[0]!),
      async write(fd, bytes) {
        if (!state.failing) return nodeLogFs.write(fd, bytes);
        if (state.shortFirst && bytes.length > 1) {
          state.shortFirst = false;
          return nodeLogFs.write(fd, bytes.subarray(0, Math.floor(bytes.length / 2)));
        }
        throw Object.assign(new Error(`${state.code}: no space left on device, write`), { code: state.code });
      },
    };
    return fs;
  }

  test("ENOSPC loses only the failed lines, warns once, keeps whole lines, and writing resumes", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const path = join(tmp.dir, "scans.jsonl");
    const state = { failing: false, shortFirst: true, code: "ENOSPC" };
    const { logger, timer, warnings } = await open(path, clock, { fs: faultyFs(state) });
    logger.attach(bus);
    publishPorts(bus, factory, 10);
    timer.tick();
    await logger.settled();
    state.failing = true;
    for (let burst = 0; burst < 5; burst++) {
      publishPorts(bus, factory, 10, 10 + burst * 10);
      timer.tick();
      await logger.settled();
    }
    state.failing = false;
    publishPorts(bus, factory, 10, 60);
    await logger.close();
    expect(warnings.map((w) => w.code)).toEqual(["event-log-write-failed"]);
    // strerror's words, as the -oN/-oG/-oX errors print them, not the errno code.
    expect(warnings[0]!.message).toContain(": No space left on device; ");
    expect(warnings[0]!.message).not.toContain("ENOSPC");
    const text = readFileSync(path, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const records = parsed(path);
    const seqs = records.filter((r) => r.event === "PortFound").map((r) => r.seq);
    expect(seqs).toEqual([...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 10 }, (_, i) => i + 61)]);
    expect(records.at(-1)).toMatchObject({ event: "log_ended", events: 20, lost: 50 });
    expect(logger.stats).toMatchObject({ accepted: 70, written: 20, lost: 50 });
  });

  test("short writes and short writevs are continued until every chunk is written", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const path = join(tmp.dir, "scans.jsonl");
    const dribble: LogFs = {
      ...nodeLogFs,
      write: (fd, bytes) => nodeLogFs.write(fd, bytes.subarray(0, 7)),
      writev: (fd, buffers) => {
        writevCalls++;
        return nodeLogFs.writev(fd, [...buffers.slice(0, -1), buffers.at(-1)!.subarray(0, 7)]);
      },
    };
    let writevCalls = 0;
    const { logger } = await open(path, clock, { fs: dribble, bufferSize: 1 });
    logger.attach(bus);
    for (let i = 0; i < 100; i += 10) {
      publishPorts(bus, factory, 10, i);
      await Promise.resolve();
    }
    await logger.close();
    const records = parsed(path);
    expect(records.filter((r) => r.event === "PortFound").map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(records.at(-1)).toMatchObject({ event: "log_ended", events: 100 });
    expect(writevCalls).toBeGreaterThan(0);
  });

  test("a warning sink that throws does not stop the log", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, "scans.jsonl");
    writeFileSync(path, '{"event":"log_');
    const logger = await EventLogger.open({ path, clock: new FakeClock(T), timer: new ManualTimer().every, warn: () => { throw new Error("sink broke"); } });
    await logger.close();
    expect(lines(path)[0]).toBe(STARTED);
  });

  test("files() lists only what close leaves", async () => {
    using tmp = tempDir();
    const { logger } = await open(join(tmp.dir, "scans.jsonl"), new FakeClock(T));
    await logger.close();
    await logger.close();
    expect(files(tmp.dir)).toEqual(["scans.jsonl"]);
  });
});

describe("EventLogger rotation faults", () => {
  test("a next file that cannot be named warns once and the log goes on in the current file", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const path = join(tmp.dir, "scans.jsonl");
    const broken: LogFs = { ...nodeLogFs, sizeSync: (p) => (p.endsWith(".1.jsonl.gz") ? (() => { throw Object.assign(new Error("EACCES"), { code: "EACCES" }); })() : nodeLogFs.sizeSync(p)) };
    const { logger, warnings } = await open(path, clock, { fs: broken, rotation: "size", maxSize: 1000 });
    logger.attach(bus);
    publishPorts(bus, factory, 20);
    await logger.close();
    expect(warnings.map((w) => w.code)).toEqual(["event-log-rotate-failed"]);
    expect(warnings[0]!.message).toBe("cannot name the next event log: Permission denied");
    expect(parsed(path).filter((r) => r.event === "PortFound")).toHaveLength(20);
  });
});

describe("EventLogger backlog", () => {
  test("past its bound it asks the publisher to wait until writes bring the backlog down to half, and loses nothing", async () => {
    using tmp = tempDir();
    const clock = new FakeClock(T);
    const { bus, factory } = busWith(clock);
    const path = join(tmp.dir, "scans.jsonl");
    // A disk that takes a write only when the test lets it.
    const held: (() => void)[] = [];
    const slowDisk: LogFs = {
      ...nodeLogFs,
      write: (fd, bytes) => new Promise<void>((resolve) => held.push(resolve)).then(() => nodeLogFs.write(fd, bytes)),
      writev: (fd, buffers) => new Promise<void>((resolve) => held.push(resolve)).then(() => nodeLogFs.writev(fd, buffers)),
    };
    const { logger } = await open(path, clock, { fs: slowDisk, bufferSize: 1024, maxBacklog: 64 * 1024 });
    logger.attach(bus);
    const released = () => {
      for (const go of held.splice(0)) go();
    };

    expect(logger.backpressure()).toBeUndefined();
    let published = 0;
    while (logger.backpressure() === undefined) {
      publishPorts(bus, factory, 100, published);
      published += 100;
      await Promise.resolve(); // the tap reads between bursts
      expect(published).toBeLessThan(10_000);
    }
    expect(logger.backlog).toBeGreaterThan(64 * 1024);
    let relieved = false;
    const wait = logger.backpressure()!.then(() => (relieved = true));
    expect(logger.backpressure()).toBe(logger.backpressure()); // one promise for every caller while held
    await Bun.sleep(5);
    expect(relieved).toBe(false); // nothing was written yet

    while (!relieved) {
      released();
      await Bun.sleep(1);
    }
    await wait;
    expect(logger.backlog).toBeLessThanOrEqual(32 * 1024);
    const closing = logger.close();
    while (held.length > 0 || logger.backlog > 0) {
      released();
      await Bun.sleep(1);
    }
    await closing;
    const records = parsed(path);
    expect(records.filter((r) => r.event === "PortFound").map((r) => r.seq)).toEqual(Array.from({ length: published }, (_, i) => i + 1));
    expect(records.at(-1)).toMatchObject({ event: "log_ended", events: published });
  });
});

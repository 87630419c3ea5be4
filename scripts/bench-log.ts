// Event log benchmark: one run, peer included, medians of --reps repetitions.
//   node_modules/.bin/bun scripts/bench-log.ts [--events 5000000] [--reps 3] [--publish-reps 9] [--dir /tmp] [--only all|log|publish]
// Every arm of every repetition runs in its own process (--arm NAME runs one).
// Building the event objects is timed apart and left out of every figure.
// 1. prtip EventLogger: N PortFound events through the bus to a file, size rotation
//    every 50 MB, gzip on. "written" = until every line is on disk; "+gzip" = until
//    the compression backlog is done too. Gzip as the CLI does it under Bun (a
//    low-priority thread), and once more on the runtime's zlib pool for comparison.
// 2. pino (the peer): the same event objects, logger.info(event), to one file
//    (pino.destination, async, 8 KiB minLength), no rotation, no compression.
// 3. EventBus.publish throughput with no subscriber vs the logger attached (separate
//    processes, and both buses in one process with batches alternating): time
//    spent inside publish() calls, batches of 10 000 events with an await between
//    (the logger drains in the microtask after each batch; that work is measured
//    separately as end-to-end), timed after a warm-up (see WARMUP). Once more with
//    the logger's writes discarded: the difference is what the kernel's copying of
//    the log into the page cache, on the machine's other core, costs the publisher.
//    And as a scanner publishes, each event built right before publish and timed
//    with it ("construct + publish"): with the logger attached, each batch stays
//    alive until the logger reads it after the batch, and the GC's work on those
//    survivors lands in the timed loop (a bus keeping a 16,384-event history and
//    no logger is as slow).
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { EventBus, EventFactory } from "../src/events/index.ts";
import type { PortFound } from "../src/events/index.ts";
import { EventLogger } from "../src/log/index.ts";
import { systemClock } from "../src/runtime/index.ts";
import { bunRuntime } from "../src/runtime/bun.ts";
import { nodeLogFs, zlibGzip } from "../src/log/index.ts";

function arg(name: string, fallback: number | string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : String(fallback);
}
const N = Number(arg("events", 5_000_000));
const REPS = Number(arg("reps", 3));
// The publish arms take ~1 s a process and vary most from process to process: more of them.
const PUBLISH_REPS = Number(arg("publish-reps", Math.max(REPS, 9)));
const BASE = arg("dir", "/tmp");
const BATCH = 10_000;
const MB = 1024 * 1024;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} k`);

// The scan engine hands every port event of a host the same address string (its
// list of live hosts), so the events here draw their targets from a table too:
// 4,096 hosts x ~1,220 ports for 5 M events.
const HOSTS = Array.from({ length: 4096 }, (_, h) => `198.18.${h >> 8}.${h & 255}`);

function batch(factory: EventFactory, from: number): PortFound[] {
  const out: PortFound[] = new Array(BATCH);
  for (let j = 0; j < BATCH; j++) {
    const i = from + j;
    out[j] = factory.portFound({ target: HOSTS[i & 4095]!, port: 1 + (i % 65535), protocol: "Tcp", state: "Open", reason: "syn-ack" });
  }
  return out;
}

/**
 * Hands N events to `sink` in batches, yielding between batches as a scanner
 * does (a logger drains there). Building the events is timed apart: `making`.
 */
async function feed(factory: EventFactory, sink: (e: PortFound) => void): Promise<{ t0: number; making: number }> {
  let making = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const m0 = performance.now();
    const events = batch(factory, i);
    making += performance.now() - m0;
    for (let j = 0; j < events.length; j++) sink(events[j]!);
    await null;
  }
  return { t0, making };
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** The gzip the CLI uses under Bun (a low-priority thread), or the zlib pool it used before. */
async function prtipRun(pool = false): Promise<{ written: number; total: number; files: number; bytes: number }> {
  const dir = mkdtempSync(join(BASE, "prtip-log-bench-"));
  try {
    const bus = new EventBus();
    const factory = new EventFactory();
    const logger = await EventLogger.open({ path: join(dir, "scans.jsonl"), clock: systemClock, rotation: "size", maxSize: 50 * MB, compression: true, gzip: pool ? zlibGzip : bunRuntime.gzip });
    logger.attach(bus);
    const { t0, making } = await feed(factory, (e) => bus.publish(e));
    await logger.writesDone();
    const t1 = performance.now() - making;
    await logger.close();
    const t2 = performance.now() - making;
    if (logger.stats.written !== N || logger.stats.lost !== 0) throw new Error(`lost events: ${JSON.stringify(logger.stats)}`);
    return { written: N / ((t1 - t0) / 1000), total: N / ((t2 - t0) / 1000), files: readdirSync(dir).length, bytes: dirBytes(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pinoRun(): Promise<number> {
  const dir = mkdtempSync(join(BASE, "prtip-log-bench-"));
  try {
    const dest = pino.destination({ dest: join(dir, "pino.jsonl"), minLength: 8192, sync: false });
    const log = pino({ base: null }, dest);
    const factory = new EventFactory();
    await new Promise((resolve) => dest.once("ready", resolve));
    const { t0, making } = await feed(factory, (e) => log.info(e));
    await new Promise<void>((resolve, reject) => {
      dest.once("finish", () => resolve());
      dest.once("error", reject);
      dest.end();
    });
    return N / ((performance.now() - making - t0) / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes that reach no disk: the logger does all its own work, the kernel none. */
const discardingFs: typeof nodeLogFs = {
  ...nodeLogFs,
  write: async (_fd, bytes) => bytes.length,
  writev: async (_fd, buffers) => buffers.reduce((n, b) => n + b.length, 0),
};

// Publish arms: the first WARMUP events let the JIT settle and are not timed
// (publishing 5 M events takes ~50 ms, so tier-up alone moved a whole-run figure
// by a third from one process to the next); the rest is timed in rounds of
// ROUND events and a process's figure is its median round.
const WARMUP = Math.min(1_000_000, N / 5);
const ROUND = Math.min(500_000, Math.max(BATCH, Math.floor((N - WARMUP) / BATCH) * BATCH));

async function publishRun(withLogger: boolean, discardWrites = false, build = false): Promise<{ publish: number; endToEnd: number }> {
  const dir = mkdtempSync(join(BASE, "prtip-log-bench-"));
  try {
    const bus = new EventBus();
    const factory = new EventFactory();
    const logger = withLogger
      ? await EventLogger.open({ path: join(dir, "scans.jsonl"), clock: systemClock, rotation: "size", maxSize: 50 * MB, fs: discardWrites ? discardingFs : nodeLogFs })
      : null;
    logger?.attach(bus);
    const rounds: number[] = [];
    let inPublish = 0;
    let wall = 0;
    let timed = 0;
    for (let i = 0; i < N; i += BATCH) {
      const events = build ? [] : batch(factory, i);
      const t0 = performance.now();
      if (build) {
        // As a scanner publishes: each event built right before it goes out.
        for (let j = 0; j < BATCH; j++) {
          const k = i + j;
          bus.publish(factory.portFound({ target: HOSTS[k & 4095]!, port: 1 + (k % 65535), protocol: "Tcp", state: "Open", reason: "syn-ack" }));
        }
      } else for (let j = 0; j < events.length; j++) bus.publish(events[j]!);
      const t1 = performance.now();
      await null;
      logger?.flush();
      // As the scan engine does at its checkpoints: a publisher that outruns the disk waits for the log there.
      const held = logger?.backpressure();
      if (held) await held;
      if (i < WARMUP) continue;
      wall += performance.now() - t0;
      inPublish += t1 - t0;
      timed += BATCH;
      if (timed % ROUND === 0) {
        rounds.push(ROUND / (inPublish / 1000));
        inPublish = 0;
      }
    }
    await logger?.close();
    if (logger && (logger.stats.written !== N || logger.stats.lost !== 0)) throw new Error(`lost events: ${JSON.stringify(logger.stats)}`);
    return { publish: median(rounds), endToEnd: timed / (wall / 1000) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Both buses in one process, batches alternating between them, so both see the
 * same machine load from moment to moment (the machine is shared): the ratio of
 * the two sums is far less noisy than two separate runs.
 */
async function publishPaired(): Promise<{ ratio: number; constructRatio: number }> {
  const dir = mkdtempSync(join(BASE, "prtip-log-bench-"));
  try {
    const plain = new EventBus();
    const logged = new EventBus();
    const factory = new EventFactory();
    const logger = await EventLogger.open({ path: join(dir, "scans.jsonl"), clock: systemClock, rotation: "size", maxSize: 50 * MB });
    logger.attach(logged);
    // Publish alone (events built beforehand), and as a scanner does it: build, then publish.
    const spent = [0, 0];
    const built = [0, 0];
    for (let i = 0; i < N; i += BATCH) {
      for (const [k, bus] of [plain, logged].entries()) {
        const events = batch(factory, i);
        const t0 = performance.now();
        for (let j = 0; j < events.length; j++) bus.publish(events[j]!);
        if (i >= WARMUP) spent[k]! += performance.now() - t0;
        await null;
        const t1 = performance.now();
        for (let j = 0; j < BATCH; j++) {
          bus.publish(factory.portFound({ target: "198.18.0.1", port: 1 + ((i + j) % 65535), protocol: "Tcp", state: "Open", reason: "syn-ack" }));
        }
        if (i >= WARMUP) built[k]! += performance.now() - t1;
        await null;
      }
    }
    await logger.close();
    return { ratio: spent[0]! / spent[1]!, constructRatio: built[0]! / built[1]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Arm = "prtip" | "prtip-pool" | "pino" | "publish-off" | "publish-on" | "publish-on-discarding" | "publish-paired" | "build-publish-off" | "build-publish-on";

/** One arm in this process; prints its figures as one JSON line. */
async function runArm(arm: Arm): Promise<void> {
  let result: Record<string, number>;
  if (arm === "prtip") result = await prtipRun();
  else if (arm === "prtip-pool") result = await prtipRun(true);
  else if (arm === "pino") result = { rate: await pinoRun() };
  else if (arm === "publish-paired") result = await publishPaired();
  else if (arm === "build-publish-off" || arm === "build-publish-on") result = await publishRun(arm === "build-publish-on", false, true);
  else result = await publishRun(arm !== "publish-off", arm === "publish-on-discarding");
  console.log(JSON.stringify(result));
}

/** Each arm runs in a fresh process: JIT state from one arm must not tilt the next. */
async function spawnArm(arm: Arm): Promise<Record<string, number>> {
  const child = Bun.spawn([process.execPath, import.meta.path, "--arm", arm, "--events", String(N), "--dir", BASE], { stdout: "pipe", stderr: "inherit" });
  const out = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error(`arm ${arm} failed`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, number>;
}

const ARM = arg("arm", "");
if (ARM !== "") {
  await runArm(ARM as Arm);
  process.exit(0);
}

const rows: Record<string, number[]> = {};
const add = (k: string, v: number | undefined) => (rows[k] ??= []).push(v ?? Number.NaN);
let files = 0;
let bytes = 0;
const ONLY = arg("only", "all"); // "all", "log" (logger and pino) or "publish"
for (let r = 0; r < Math.max(REPS, PUBLISH_REPS); r++) {
  if (ONLY !== "publish" && r < REPS) {
    const p = await spawnArm("prtip");
    add("prtip written", p.written);
    add("prtip +gzip", p.total);
    files = p.files ?? 0;
    bytes = p.bytes ?? 0;
    const pool = await spawnArm("prtip-pool");
    add("prtip written, gzip on the zlib pool", pool.written);
    add("prtip +gzip, zlib pool", pool.total);
    add("pino", (await spawnArm("pino")).rate);
  }
  if (ONLY !== "log" && r < PUBLISH_REPS) {
    const off = await spawnArm("publish-off");
    const on = await spawnArm("publish-on");
    const discarding = await spawnArm("publish-on-discarding");
    add("publish on, writes discarded", discarding.publish);
    add("publish on (writes discarded)/off", discarding.publish! / off.publish!);
    add("publish off", off.publish);
    add("publish on", on.publish);
    add("publish on/off", on.publish! / off.publish!);
    add("e2e off", off.endToEnd);
    add("e2e on", on.endToEnd);
    const builtOff = await spawnArm("build-publish-off");
    const builtOn = await spawnArm("build-publish-on");
    add("construct + publish off", builtOff.publish);
    add("construct + publish on", builtOn.publish);
    add("construct + publish on/off", builtOn.publish! / builtOff.publish!);
    const paired = await spawnArm("publish-paired");
    add("paired on/off", paired.ratio);
    add("paired construct+publish on/off", paired.constructRatio);
  }
  console.error(`rep ${r + 1}/${Math.max(REPS, PUBLISH_REPS)} done`);
}
const m = (k: string) => median(rows[k] ?? [Number.NaN]);
console.log(`\nEvent log benchmark: ${fmt(N)} PortFound events, medians of ${REPS} runs (publish arms: ${PUBLISH_REPS}, each timed after a ${fmt(WARMUP)}-event warm-up, median of ${fmt(ROUND)}-event rounds; one process per arm and run), Bun ${Bun.version}, ${BASE}`);
for (const [k, xs] of Object.entries(rows)) console.log(`  ${k}: ${xs.map((x) => (x < 10 ? x.toFixed(3) : fmt(x))).join(", ")}`);
console.log(`| measure | events/s | ratio |`);
console.log(`| --- | ---: | ---: |`);
console.log(`| prtip EventLogger, 50 MB rotation + gzip: lines on disk | ${fmt(m("prtip written"))} | ${(m("prtip written") / m("pino")).toFixed(2)}x pino |`);
console.log(`| prtip EventLogger, including the gzip backlog | ${fmt(m("prtip +gzip"))} | ${(m("prtip +gzip") / m("pino")).toFixed(2)}x pino |`);
console.log(`| the same, gzip on the runtime's zlib pool instead of the low-priority thread: lines on disk | ${fmt(m("prtip written, gzip on the zlib pool"))} | ${(m("prtip written, gzip on the zlib pool") / m("pino")).toFixed(2)}x pino |`);
console.log(`| the same, zlib pool, including the gzip backlog | ${fmt(m("prtip +gzip, zlib pool"))} | ${(m("prtip +gzip, zlib pool") / m("pino")).toFixed(2)}x pino |`);
console.log(`| pino to one file (no rotation, no gzip) | ${fmt(m("pino"))} | 1.00x |`);
console.log(`| bus publish, no subscriber | ${fmt(m("publish off"))} | 1.00x |`);
console.log(`| bus publish, logger attached | ${fmt(m("publish on"))} | ${(m("publish on") / m("publish off")).toFixed(3)}x; median of paired runs ${m("publish on/off").toFixed(3)}x (drop ${((1 - m("publish on/off")) * 100).toFixed(1)}%) |`);
console.log(`| bus publish, logger attached but its writes discarded (no disk I/O on the other core) | ${fmt(m("publish on, writes discarded"))} | ${(m("publish on, writes discarded") / m("publish off")).toFixed(3)}x; median of paired runs ${m("publish on (writes discarded)/off").toFixed(3)}x |`);
console.log(`| bus publish, logger attached vs not, batches alternating in one process | | ${m("paired on/off").toFixed(3)}x (drop ${((1 - m("paired on/off")) * 100).toFixed(1)}%) |`);
console.log(`| construct + publish (as the scanner does), no subscriber | ${fmt(m("construct + publish off"))} | 1.00x |`);
console.log(`| construct + publish, logger attached | ${fmt(m("construct + publish on"))} | ${(m("construct + publish on") / m("construct + publish off")).toFixed(3)}x; median of paired runs ${m("construct + publish on/off").toFixed(3)}x |`);
console.log(`| construct + publish (as the scanner does), logger attached vs not, alternating in one process | | ${m("paired construct+publish on/off").toFixed(3)}x (drop ${((1 - m("paired construct+publish on/off")) * 100).toFixed(1)}%) |`);
console.log(`| end-to-end (publish + logger work, one thread), no subscriber | ${fmt(m("e2e off"))} | 1.00x |`);
console.log(`| end-to-end, logger attached | ${fmt(m("e2e on"))} | ${(m("e2e on") / m("e2e off")).toFixed(3)}x |`);
console.log(`\nprtip output: ${files} files, ${(bytes / MB).toFixed(1)} MiB on disk after compression`);

import type { AnyEvent, EventBus, Tap } from "../events/index.ts";
import type { Clock } from "../runtime/capabilities.ts";
import type { Gzip } from "./compress.ts";
import { logEndedLine, logStartedLine } from "./framing.ts";
import { Backlog } from "./backlog.ts";
import { LineEncoder } from "./line-encoder.ts";
import { LogFile } from "./log-file.ts";
import type { LogFileHooks } from "./log-file.ts";
import { systemErrorText } from "../errors.ts";
import { nodeLogFs } from "./log-fs.ts";
import type { LogFs } from "./log-fs.ts";
import { LogNames } from "./log-names.ts";
import { checkPattern, periodEnd, rotationPattern } from "./path-pattern.ts";
import type { Rotation } from "./path-pattern.ts";
import { Housekeeping } from "./housekeeping.ts";

export type WarningSeverity = "low" | "medium" | "high";
export type Warn = (code: string, message: string, severity: WarningSeverity) => void;

/** Runs `fn` every `ms` until the returned function is called. */
export type Every = (ms: number, fn: () => void) => () => void;

export const realTimer: Every = (ms, fn) => {
  const t = setInterval(fn, ms) as unknown as { unref?: () => void };
  // The timer only flushes: it must not keep a finished program alive.
  t.unref?.();
  return () => clearInterval(t as unknown as number);
};

export interface EventLoggerOptions {
  /** Path pattern, `~` already expanded; `%Y %m %d %H %M %S` expand in UTC. */
  path: string;
  rotation?: Rotation;
  /** Rotate when a file would pass this many bytes: size rotation (default 100 MB), and time rotation within a period (default: no limit). */
  maxSize?: number;
  /** Keep only the newest N files of the pattern (null: keep all). */
  maxFiles?: number | null;
  compression?: boolean;
  /** Suffix time rotation adds when `path` has no time code (e.g. `-%Y%m%d`). */
  rotationSuffix?: string;
  /** Flush once this many bytes are buffered (default 8 KiB). */
  bufferSize?: number;
  /** Unwritten bytes past which backpressure() asks the publisher to wait (default 64 MiB). */
  maxBacklog?: number;
  flushIntervalMs?: number;
  clock: Clock;
  fs?: LogFs;
  timer?: Every;
  gzip?: Gzip;
  /** Problems the log has (torn tail repaired, write failed): the caller shows and publishes them. */
  warn?: Warn;
  /** Minimum time between two `event-log-write-failed` warnings (default 60 s). */
  warnIntervalMs?: number;
}

export interface EventLoggerStats {
  /** Event lines accepted, written to disk, and lost to failed writes, over all files. */
  accepted: number;
  written: number;
  lost: number;
  files: string[];
  rotations: number;
}

const DEFAULT_MAX_SIZE = 100 * 1024 * 1024;
/** Backlog past which backpressure() holds the publisher: a few seconds of any disk, far below a small server's memory. */
const DEFAULT_MAX_BACKLOG = 64 * 1024 * 1024;
const ROTATION_RETRY_MS = 60_000;

/**
 * Writes every bus event as one JSON line, framed by log_started / log_ended.
 *
 * The logger reads the bus through its tap: no call per published event; the
 * events are read from the bus's history ring and encoded in a microtask after
 * the publisher's synchronous run (or when the ring is about to overwrite one),
 * and writes are asynchronous, so `publish` never waits on the disk. Lines are
 * buffered (8 KiB) and flushed at least every `flushIntervalMs`, on rotation
 * and on close.
 */
export class EventLogger {
  private readonly encoder = new LineEncoder();
  private closed = false;
  private bufferedEvents = 0;
  private current: LogFile;
  private readonly pattern: string;
  private readonly rotation: Rotation;
  private readonly maxSize: number;
  private readonly bufferSize: number;
  private readonly fs: LogFs;
  private readonly names: LogNames;
  private readonly closedFiles: LogFile[] = [];
  private readonly housekeeping: Housekeeping;
  private boundary = Number.POSITIVE_INFINITY;
  private rotationPausedUntil = Number.NEGATIVE_INFINITY;
  private stopTimer: () => void = () => {};
  private busTap: Tap | null = null;
  private closing: Promise<void> | null = null;
  private accepted = 0;
  private rotations = 0;
  private failing = false;
  private lastFailureWarning = Number.NEGATIVE_INFINITY;
  private readonly hooks: LogFileHooks;
  private readonly backlogged: Backlog;

  private constructor(private readonly options: EventLoggerOptions) {
    checkPattern(options.path);
    this.rotation = options.rotation ?? "never";
    this.pattern = rotationPattern(options.path, this.rotation, options.rotationSuffix);
    // A time-rotated log rotates by size too only when given a max size (logrotate's maxsize).
    this.maxSize = options.maxSize ?? (this.rotation === "size" ? DEFAULT_MAX_SIZE : Number.POSITIVE_INFINITY);
    this.bufferSize = options.bufferSize ?? 8192;
    this.backlogged = new Backlog(options.maxBacklog ?? DEFAULT_MAX_BACKLOG, () => this.encoder.length);
    this.fs = options.fs ?? nodeLogFs;
    this.hooks = {
      writeFailed: (path, err, lost) => this.writeFailed(path, err, lost),
      wrote: () => (this.failing = false),
      released: (bytes) => this.encoder.recycle(bytes),
      backlogChanged: (bytes) => this.backlogged.change(bytes),
    };
    this.names = new LogNames(this.fs, this.pattern, this.rotation, this.maxSize, (path, cut) =>
      this.warn("event-log-torn-tail", `event log ${path} ended in a torn line: removed its last ${cut} bytes before appending`, "medium"),
    );
    this.housekeeping = new Housekeeping(
      this.fs,
      this.pattern,
      { compression: options.compression ?? false, gzip: options.gzip, maxFiles: options.maxFiles ?? null },
      () => this.current.path,
      (code, message, severity) => this.warn(code, message, severity),
    );
    this.current = null as unknown as LogFile; // set by open()
  }

  /** Opens (or appends to) the first file and writes log_started. Open errors are thrown. */
  static async open(options: EventLoggerOptions): Promise<EventLogger> {
    const logger = new EventLogger(options);
    const now = options.clock.now();
    const path = logger.names.choose(now);
    const { fd, size } = await logger.names.open(path);
    logger.current = LogFile.opened(logger.fs, path, fd, size, logger.hooks);
    logger.startFile(now, undefined);
    // Leftovers of a crash during compression are cleaned (and old files pruned) in the background.
    logger.housekeeping.cleanUp();
    logger.stopTimer = (options.timer ?? realTimer)(options.flushIntervalMs ?? 1000, () => logger.tick());
    return logger;
  }

  /** Reads every event published on `bus` from now on (through its tap). */
  attach(bus: EventBus): Tap {
    this.busTap?.close();
    this.busTap = bus.tap(this.read);
    return this.busTap;
  }

  /** The tap's reader: encodes a batch of events; what the bus could not keep counts as lost. */
  private readonly read = (events: (AnyEvent | undefined)[], count: number, missed: number): void => {
    if (this.closed) return;
    if (missed > 0) this.current.lost += missed;
    this.encodeAll(events, count);
  };

  /** Hands every buffered line to the file now (writes stay asynchronous). */
  flush(): void {
    this.drain();
    this.flushBuffer();
  }

  /** The timer: flush and start a new file when a time period ended. */
  tick(): void {
    this.drain();
    if (this.rotation !== "never" && this.rotation !== "size") this.rotateIfPeriodEnded(this.options.clock.now());
    this.flushBuffer();
  }

  get stats(): EventLoggerStats {
    const files = [...this.closedFiles, this.current];
    return {
      accepted: this.accepted,
      written: files.reduce((n, f) => n + f.written, 0),
      lost: files.reduce((n, f) => n + f.lost, 0),
      files: [...this.names.used],
      rotations: this.rotations,
    };
  }

  /** Flushes, then resolves once every line handed over so far is written (or dropped) and background work is done. */
  async settled(): Promise<void> {
    this.flush();
    await this.housekeeping.idle();
    await this.current.idle();
    await this.housekeeping.idle();
  }

  /** Flushes, then resolves once every line handed over so far is on disk (or dropped); compression may still run. */
  async writesDone(): Promise<void> {
    this.flush();
    await Promise.all([...this.closedFiles.map((f) => f.ended), this.current.idle()]);
  }

  /** Encoded bytes not yet written (or dropped): what the log holds in memory. */
  get backlog(): number {
    return this.backlogged.bytes;
  }

  /** See Backlog.hold: the scan engine awaits it at its checkpoints, so memory stays bounded and nothing is dropped. */
  backpressure(): Promise<void> | undefined {
    return this.closed ? undefined : this.backlogged.hold();
  }

  /** The file being written now. */
  get currentPath(): string {
    return this.current.path;
  }

  /**
   * Writes what is pending and log_ended, closes the file and waits for
   * background compression and pruning. Idempotent.
   */
  close(): Promise<void> {
    if (this.closing === null) {
      this.drain();
      this.closed = true;
      this.backlogged.release();
      this.closing = this.finish();
    }
    return this.closing;
  }

  private async finish(): Promise<void> {
    this.stopTimer();
    this.busTap?.close();
    this.flushBuffer();
    const file = this.current;
    const clock = this.options.clock;
    await file.finish(() => logEndedLine(clock.now(), file.written, file.lost));
    await this.housekeeping.idle();
  }

  /** Encodes what the bus holds for the logger now. */
  private drain(): void {
    this.busTap?.flush();
  }

  private encodeAll(events: (AnyEvent | undefined)[], count: number): void {
    const timed = this.rotation !== "never" && this.rotation !== "size";
    if (timed) this.rotateIfPeriodEnded(this.options.clock.now());
    const bySize = this.rotation !== "never" && this.maxSize !== Number.POSITIVE_INFINITY;
    const enc = this.encoder;
    for (let i = 0; i < count; i++) {
      const e = events[i]!;
      events[i] = undefined;
      const before = enc.length;
      let len = enc.encode(e);
      if (bySize && this.current.logical + len > this.maxSize && this.mayRotate()) {
        enc.truncate(before);
        this.rotate(this.options.clock.now());
        len = enc.encode(e);
      }
      this.current.logical += len;
      this.current.events++;
      this.bufferedEvents++;
      // Hand lines to the file once the encoder's buffer is full rather than growing it.
      if (enc.full) this.flushBuffer();
    }
    this.accepted += count;
    if (enc.length >= this.bufferSize) this.flushBuffer();
  }

  /**
   * Size rotation, except: a file takes an over-size line when it has nothing
   * else (or rotation would never end), and not while naming failed recently.
   */
  private mayRotate(): boolean {
    const file = this.current;
    if (file.events === 0 && file.startSize === 0) return false;
    return !(this.options.clock.now() < this.rotationPausedUntil);
  }

  private flushBuffer(): void {
    if (this.encoder.length === 0) return;
    // logical was counted per line already; enqueue must not count it again.
    this.current.enqueue(this.encoder.take(), this.bufferedEvents);
    this.bufferedEvents = 0;
  }

  private startFile(now: number, continues: string | undefined): void {
    const len = this.encoder.appendLine(logStartedLine(now, continues));
    this.current.logical += len;
    this.flushBuffer();
    if (this.rotation !== "never" && this.rotation !== "size") this.boundary = periodEnd(this.rotation, now);
  }

  private rotateIfPeriodEnded(now: number): void {
    // Only forward: a clock stepping back keeps the current file until the boundary is passed again.
    if (now >= this.boundary) this.rotate(now);
  }

  private rotate(now: number): void {
    this.flushBuffer();
    const old = this.current;
    this.rotations++;
    let nextPath: string;
    try {
      nextPath = this.names.choose(now);
    } catch (err) {
      // Keep writing to the current file and try again in a minute, not at every line.
      this.rotationPausedUntil = now + ROTATION_RETRY_MS;
      if (this.rotation !== "size") this.boundary = now + ROTATION_RETRY_MS;
      this.warn("event-log-rotate-failed", `cannot name the next event log: ${systemErrorText(err)}`, "high");
      return;
    }
    this.current = new LogFile(this.fs, nextPath, (p) => this.names.open(p), this.hooks);
    const clock = this.options.clock;
    // A file about to be gzipped is not fsynced: its .gz is (compress.ts), and
    // until then a crash leaves the plain file either way. Syncing it wrote 14
    // times the .gz's bytes to the disk only to delete them, and bound the
    // logger to the disk's bandwidth (scripts/bench-log.ts).
    const closed = old.finish(() => logEndedLine(clock.now(), old.written, old.lost, nextPath), !this.options.compression);
    this.closedFiles.push(old);
    this.startFile(now, old.path);
    this.housekeeping.rotated(old.path, closed);
  }

  private writeFailed(path: string, err: unknown, lost: number): void {
    const now = this.options.clock.now();
    const interval = this.options.warnIntervalMs ?? 60_000;
    const wasFailing = this.failing;
    this.failing = true;
    if (wasFailing || now - this.lastFailureWarning < interval) return;
    this.lastFailureWarning = now;
    this.warn(
      "event-log-write-failed",
      `cannot write event log ${path}: ${systemErrorText(err)}; ${lost === 0 ? "no event lost yet" : `${lost} events lost`}, the scan goes on and the logger retries`,
      "high",
    );
  }

  private warn(code: string, message: string, severity: WarningSeverity): void {
    try {
      this.options.warn?.(code, message, severity);
    } catch {
      // A failing warning sink must not take the logger down with it.
    }
  }
}

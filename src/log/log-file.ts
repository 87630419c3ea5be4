import type { LogFs } from "./log-fs.ts";

/** What a LogFile reports to its logger. */
export interface LogFileHooks {
  /** A write (or the open) failed; `lostEvents` event lines will never reach this file. */
  writeFailed(path: string, err: unknown, lostEvents: number): void;
  wrote(): void;
  /** A chunk's bytes are written (or dropped) and no longer read: the encoder may reuse them. */
  released?(bytes: Uint8Array): void;
  /** This file's backlog grew or shrank by `bytes`. */
  backlogChanged?(bytes: number): void;
}

interface Chunk {
  bytes: Uint8Array;
  events: number;
}

/** One writev carries at most this many bytes and buffers; one syscall moves plenty. */
const MERGE_LIMIT = 4 * 1024 * 1024;
const MAX_IOVECS = 64;
const utf8 = new TextEncoder();

/** The buffers of `chunks` after the first `skip` bytes. */
function remaining(chunks: Chunk[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of chunks) {
    const len = c.bytes.length;
    if (skip >= len) {
      skip -= len;
      continue;
    }
    out.push(skip > 0 ? c.bytes.subarray(skip) : c.bytes);
    skip = 0;
  }
  return out;
}

/**
 * One log file: a queue of whole-line chunks written in order, one write at a
 * time, so chunk boundaries are line boundaries. A failed or short-then-failed
 * write is cut back off the file (ftruncate to where the chunk began) and its
 * events counted as lost, so the file always ends at a line boundary.
 */
export class LogFile {
  /** Bytes on disk before this run plus every byte handed to this file since. */
  logical = 0;
  /** Event lines handed to this file. */
  events = 0;
  /** Event lines that reached the disk, and those a failed write dropped. */
  written = 0;
  lost = 0;
  /** Bytes the file had when this run opened it (0 until then). */
  startSize = 0;
  /** Bytes handed to this file and not yet written or dropped: memory the log holds. */
  backlog = 0;
  private fd: number | null = null;
  private diskSize = 0;
  private tornAt: number | null = null;
  private readonly queue: Chunk[] = [];
  private pumping: Promise<void> | null = null;
  private ending: (() => string) | null = null;
  private syncAtEnd = true;
  private closed = false;
  private endedResolve: (() => void) | null = null;
  readonly ended: Promise<void>;

  constructor(
    private readonly fs: LogFs,
    readonly path: string,
    /** Opens the file (creating folders, repairing a torn tail); retried at the next write when it fails. */
    private readonly opener: (path: string) => Promise<{ fd: number; size: number }>,
    private readonly hooks: LogFileHooks,
  ) {
    this.ended = new Promise((resolve) => (this.endedResolve = resolve));
  }

  /** A file already open (the logger's first file, whose open errors the caller must see). */
  static opened(fs: LogFs, path: string, fd: number, size: number, hooks: LogFileHooks): LogFile {
    const file = new LogFile(fs, path, () => Promise.reject(new Error("already open")), hooks);
    file.fd = fd;
    file.diskSize = size;
    file.startSize = size;
    file.logical = size;
    return file;
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** Queues whole lines; never waits. */
  enqueue(bytes: Uint8Array, events: number): void {
    if (this.ending !== null) throw new Error("log file is closing");
    if (bytes.length === 0) return;
    this.grow(bytes.length);
    this.queue.push({ bytes, events });
    this.kick();
  }

  /**
   * After the queued lines: the line `endLine()` returns (built then, when the
   * counts are final), fsync unless `sync` is false, close. Resolves when the
   * file is closed.
   */
  finish(endLine: () => string, sync = true): Promise<void> {
    if (this.ending === null) {
      this.ending = endLine;
      this.syncAtEnd = sync;
      this.kick();
    }
    return this.ended;
  }

  /** Resolves when every queued chunk has been written or dropped. */
  async idle(): Promise<void> {
    while (this.pumping !== null) await this.pumping;
  }

  private kick(): void {
    if (this.pumping !== null || this.closed) return;
    this.pumping = this.pump()
      .catch(() => {})
      .finally(() => {
        this.pumping = null;
        if (!this.closed && (this.queue.length > 0 || this.ending !== null)) this.kick();
      });
  }

  private async pump(): Promise<void> {
    while (!this.closed) {
      if (this.fd === null && !(await this.open())) {
        this.dropQueued(new Error("log file could not be opened"));
        if (this.ending !== null) this.markClosed();
        return;
      }
      if (this.queue.length > 0) {
        await this.writeChunks(this.takeBatch());
        continue;
      }
      if (this.ending !== null) await this.end();
      return;
    }
  }

  private async open(): Promise<boolean> {
    const path = this.path;
    try {
      const { fd, size } = await this.opener(path);
      this.fd = fd;
      this.diskSize = size;
      this.startSize = size;
      this.logical += size;
      return true;
    } catch (err) {
      const lost = this.queue.reduce((n, c) => n + c.events, 0);
      this.hooks.writeFailed(path, err, lost);
      return false;
    }
  }

  private dropQueued(_why: unknown): void {
    const dropped = this.queue.splice(0);
    for (const c of dropped) {
      this.lost += c.events;
      this.logical -= c.bytes.length;
    }
    this.release(dropped);
  }

  private release(chunks: Chunk[]): void {
    const released = this.hooks.released;
    let bytes = 0;
    for (const c of chunks) {
      bytes += c.bytes.length;
      released?.(c.bytes);
    }
    this.grow(-bytes);
  }

  private grow(bytes: number): void {
    this.backlog += bytes;
    this.hooks.backlogChanged?.(bytes);
  }

  /** The queued chunks that go out in one writev (up to MERGE_LIMIT bytes, at least one chunk). */
  private takeBatch(): Chunk[] {
    let total = 0;
    let n = 0;
    while (n < this.queue.length && n < MAX_IOVECS && (n === 0 || total + this.queue[n]!.bytes.length <= MERGE_LIMIT)) {
      total += this.queue[n]!.bytes.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  /** Writes the chunks in order, continuing short writes; true when all of them reached the file. */
  private async writeChunks(chunks: Chunk[]): Promise<boolean> {
    const fd = this.fd!;
    const start = this.diskSize;
    let total = 0;
    let events = 0;
    for (const c of chunks) {
      total += c.bytes.length;
      events += c.events;
    }
    let off = 0;
    try {
      if (this.tornAt !== null) {
        await this.fs.truncate(fd, this.tornAt);
        this.tornAt = null;
      }
      while (off < total) {
        const rest = remaining(chunks, off);
        const n = rest.length === 1 ? await this.fs.write(fd, rest[0]!) : await this.fs.writev(fd, rest);
        if (!(n > 0)) throw Object.assign(new Error("write wrote nothing"), { code: "EIO" });
        off += n;
      }
      this.diskSize += total;
      this.written += events;
      this.hooks.wrote();
      return true;
    } catch (err) {
      if (off > 0) {
        // Part of the batch landed: cut it off so the file ends with a whole line.
        try {
          await this.fs.truncate(fd, start);
        } catch {
          this.tornAt = start;
        }
      }
      this.lost += events;
      this.logical -= total;
      this.hooks.writeFailed(this.path, err, events);
      return false;
    } finally {
      this.release(chunks);
    }
  }

  private async end(): Promise<void> {
    const fd = this.fd!;
    let line = "";
    try {
      line = this.ending!();
    } catch {
      // An end line that cannot be built is left out: the file reads as cut short.
    }
    if (line !== "") {
      const bytes = utf8.encode(line + "\n");
      this.logical += bytes.length;
      this.grow(bytes.length);
      await this.writeChunks([{ bytes, events: 0 }]);
    }
    try {
      if (this.syncAtEnd) await this.fs.fsync(fd);
    } catch {
      // fsync failing (e.g. EIO) leaves what the kernel has; nothing more to do here.
    }
    try {
      await this.fs.close(fd);
    } catch {
      // The descriptor is gone either way.
    }
    this.markClosed();
  }

  private markClosed(): void {
    this.closed = true;
    this.fd = null;
    this.endedResolve?.();
  }
}

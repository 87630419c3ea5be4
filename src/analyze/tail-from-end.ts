import { Buffer } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { MAX_LINE } from "../log/index.ts";
import type { ReadIssue } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { LogLine } from "./line.ts";

const BLOCK = 64 * 1024;
const NL = 10;
const CR = 13;

/** An issue found reading backwards: its line number is known only once the newlines before it are counted. */
interface Found {
  kind: ReadIssue["kind"];
  /** Byte offset of the line's start. */
  at: number;
  message: string;
}

/** A file read in blocks from its end; `buf` holds the bytes [start, start + buf.length) not yet handed out. */
class Backwards {
  private buf = Buffer.alloc(0);
  private readonly block = Buffer.allocUnsafe(BLOCK);

  constructor(
    private readonly fd: number,
    private start: number,
  ) {}

  /**
   * The offset of the last newline before `before` (-1: none), with the bytes
   * from just after it to `before` at hand. `whole` false: they were longer than
   * MAX_LINE and were passed over, not kept (as the forward reader skips them).
   */
  newlineBefore(before: number): { nl: number; whole: boolean } {
    this.buf = this.buf.subarray(0, before - this.start);
    let from = this.buf.length - 1;
    for (;;) {
      const i = from < 0 ? -1 : this.buf.lastIndexOf(NL, from);
      if (i >= 0) return { nl: this.start + i, whole: true };
      if (this.start === 0) return { nl: -1, whole: true };
      if (before - this.start > MAX_LINE) return this.skipLine();
      const len = this.read();
      this.buf = Buffer.concat([this.block.subarray(0, len), this.buf]);
      from = len - 1;
    }
  }

  /** [from, to) of what newlineBefore has at hand. */
  bytes(from: number, to: number): Buffer {
    return this.buf.subarray(from - this.start, to - this.start);
  }

  /** Reads the block before `start` into `block`; returns its length. */
  private read(): number {
    const len = Math.min(BLOCK, this.start);
    this.start -= len;
    readSync(this.fd, this.block, 0, len, this.start);
    return len;
  }

  private skipLine(): { nl: number; whole: boolean } {
    while (this.start > 0) {
      const len = this.read();
      const i = this.block.subarray(0, len).lastIndexOf(NL);
      if (i >= 0) {
        this.buf = Buffer.from(this.block.subarray(0, i + 1));
        return { nl: this.start + i, whole: false };
      }
    }
    this.buf = Buffer.alloc(0);
    return { nl: -1, whole: false };
  }
}

/**
 * The last `n` lines `keep` takes of the plain file `path` (its first `limit`
 * bytes), read in blocks from the end as `tail -n` does: a few blocks, not the
 * whole file. The reader's rules hold for the lines read: bytes after the last
 * newline are a torn line (reported, not used); malformed and over-long lines
 * are skipped and reported, with their line numbers (newlines before them are
 * counted only when there is something to report). Lines before the last `n`
 * are not read, so not checked. Null when the file is gzipped or not a regular
 * file: the caller reads it forwards.
 */
export function lastLinesFromEnd(path: string, limit: number, n: number, keep: (l: LogLine) => boolean, anomalies: Anomalies): Uint8Array[] | null {
  if (limit === 0) return [];
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null; // the forward read reports it as it always has
  }
  try {
    const info = fstatSync(fd);
    // An empty file is no log: the forward read says so, as for every command.
    if (!info.isFile() || info.size === 0) return null;
    const head = Buffer.alloc(2);
    if (readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b) return null;
    const size = Math.min(info.size, limit);
    const file = new Backwards(fd, size);
    const found: Found[] = [];
    const kept: Uint8Array[] = [];
    const line = new LogLine();
    line.source = path;
    let lineEnd = file.newlineBefore(size).nl;
    if (lineEnd + 1 < size) found.push({ kind: "torn-line", at: lineEnd + 1, message: "last line has no newline (torn write); not used" });
    while (kept.length < n && lineEnd >= 0) {
      const prev = file.newlineBefore(lineEnd);
      const start = prev.nl + 1;
      if (!prev.whole) found.push({ kind: "line-too-long", at: start, message: `line longer than ${MAX_LINE} bytes` });
      else {
        const bytes = file.bytes(start, lineEnd);
        const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
        if (end > 0) {
          line.reset(bytes, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, end);
          if (line.name === null || !line.wellFormed()) found.push({ kind: "malformed", at: start, message: "malformed line skipped" });
          else if (keep(line)) kept.push(Uint8Array.from(line.bytes()));
        }
      }
      lineEnd = prev.nl;
    }
    report(fd, found, path, anomalies);
    return kept.reverse();
  } finally {
    closeSync(fd);
  }
}

/** Reports what was found in file order, each with its line number (the newlines before it, counted forwards). */
function report(fd: number, found: Found[], path: string, anomalies: Anomalies): void {
  if (found.length === 0) return;
  found.sort((a, b) => a.at - b.at);
  const buf = Buffer.allocUnsafe(1 << 20);
  let offset = 0;
  let newlines = 0;
  for (const f of found) {
    while (offset < f.at) {
      const len = readSync(fd, buf, 0, Math.min(buf.length, f.at - offset), offset);
      if (len === 0) break;
      const chunk = buf.subarray(0, len);
      for (let i = chunk.indexOf(NL); i >= 0; i = chunk.indexOf(NL, i + 1)) newlines++;
      offset += len;
    }
    anomalies.add({ kind: f.kind, source: path, line: newlines + 1, message: f.message });
  }
}

import { Buffer } from "node:buffer";
import { readLines } from "../log/index.ts";
import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { checkLines } from "./json-check.ts";
import { LogLine } from "./line.ts";
import { ACCEPT, REJECT, inEncoderShape } from "./prefilter.ts";
import type { Prefilter } from "./prefilter.ts";

/**
 * The lines a command keeps from one batch, checked whole together when the
 * batch ends (json-check.ts steps four at a time), before anything is written
 * or reported: a line with a plausible start and end but a damaged middle is
 * skipped and reported like any malformed line.
 */
export class KeptLines {
  bounds = new Int32Array(2048);
  count = 0;
  private lineNos = new Int32Array(1024);
  private ok = new Uint8Array(1024);

  add(start: number, end: number, lineNo: number): void {
    const n = this.count;
    if (n === this.lineNos.length) this.grow();
    this.bounds[2 * n] = start;
    this.bounds[2 * n + 1] = end;
    this.lineNos[n] = lineNo;
    this.count = n + 1;
  }

  /**
   * Checks the kept lines of the batch in buf/raw (`line` is used to read the
   * ones the quick check rejects); each malformed one is reported. Returns how
   * many were well formed.
   */
  check(buf: Buffer, raw: Uint8Array, line: LogLine, anomalies: Anomalies): number {
    const ok = this.ok;
    checkLines(raw, this.bounds, 0, this.count, ok);
    let good = 0;
    for (let i = 0; i < this.count; i++) {
      if (ok[i] === 1) {
        good++;
        continue;
      }
      // Not flat JSON as the encoder writes it: JSON.parse has the last word (whitespace, nesting).
      const start = this.bounds[2 * i]!;
      const end = this.bounds[2 * i + 1]!;
      line.reset(buf, raw, start, end);
      line.lineNo = this.lineNos[i]!;
      if (line.wellFormed()) {
        ok[i] = 2;
        good++;
        continue;
      }
      anomalies.malformed(line.source, line.lineNo);
    }
    return good;
  }

  isOk(i: number): boolean {
    return this.ok[i] !== 0;
  }

  /** Well formed and flat as the encoder writes (not only JSON.parse's say-so): a key's bytes can only be that key. */
  isFlat(i: number): boolean {
    return this.ok[i] === 1;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const n = this.lineNos.length * 2;
    const bounds = new Int32Array(2 * n);
    bounds.set(this.bounds);
    this.bounds = bounds;
    const lineNos = new Int32Array(n);
    lineNos.set(this.lineNos);
    this.lineNos = lineNos;
    this.ok = new Uint8Array(n);
  }
}

export interface KeepScan {
  prefilter: Prefilter;
  test: (line: LogLine) => boolean;
  /** After each batch, with its kept lines (check them, then use them). */
  batchEnd: (kept: KeptLines, buf: Buffer, raw: Uint8Array, line: LogLine) => void | Promise<void>;
  signal?: AbortSignal;
}

/**
 * filter's reading loop: each line is judged from its bytes where they
 * suffice (prefilter) and read as a LogLine only where they do not, and kept
 * lines are checked whole, a batch at a time. Lines passed over are not
 * checked: a damaged line is reported when it would have been used.
 */
export async function scanKept(sources: readonly ByteSource[], anomalies: Anomalies, scan: KeepScan): Promise<void> {
  const { prefilter, test, signal } = scan;
  const kept = new KeptLines();
  const line = new LogLine();
  line.looseFields = true;
  for await (const batch of readLines(sources, anomalies.add, signal)) {
    const buf = Buffer.from(batch.buf.buffer, batch.buf.byteOffset, batch.buf.byteLength);
    // A plain Uint8Array view: JSC indexes a Buffer (a subclass) several times slower.
    const raw = new Uint8Array(batch.buf.buffer, batch.buf.byteOffset, batch.buf.byteLength);
    line.source = batch.source;
    const bounds = batch.bounds;
    const guide = prefilter.guide;
    let hit = -1;
    for (let i = 0; i < batch.count; i++) {
      const start = bounds[2 * i]!;
      const end = bounds[2 * i + 1]!;
      if (start === end) continue;
      if (guide !== undefined) {
        // Lines before the guide's next occurrence cannot be kept: only their shape is looked at.
        if (hit < start && hit !== Infinity) {
          hit = guide.nextFrom(buf, start);
          if (hit < 0) hit = Infinity;
        }
        if (hit >= end && inEncoderShape(raw, start, end)) continue;
      }
      const verdict = prefilter(buf, raw, start, end);
      if (verdict === REJECT) continue;
      const lineNo = batch.firstLine + i;
      if (verdict !== ACCEPT) {
        line.reset(buf, raw, start, end);
        line.lineNo = lineNo;
        if (line.name === null) {
          anomalies.malformed(batch.source, lineNo);
          continue;
        }
        if (!test(line)) continue;
      }
      kept.add(start, end, lineNo);
    }
    if (kept.count > 0) await scan.batchEnd(kept, buf, raw, line);
    kept.clear();
    if (signal?.aborted) return;
  }
}

import { Buffer } from "node:buffer";
import { readLines } from "../log/index.ts";
import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { checkLines } from "./json-check.ts";
import { LogLine } from "./line.ts";

export interface ScanOptions {
  signal?: AbortSignal;
  /** Called after each batch: the last moment its bytes (and `line`'s view of them) are sure to be intact. */
  afterBatch?: () => void | Promise<void>;
  /**
   * "all" (the default): every line is checked whole before `visit` sees it.
   * "used": `visit` sees every line with a plausible start and end and checks
   * the ones it keeps (KeptLines, or `usable`); lines it passes over by name or
   * a byte pattern are not checked, which is most of the work saved on a selective filter.
   */
  check?: "all" | "used";
}

/**
 * Calls `visit` with every line of the sources, in order; blank lines are
 * ignored, malformed ones counted in `anomalies`. The LogLine is reused: copy
 * what you keep. `visit` may return a promise (replay's pacing), or false to stop.
 */
export async function scanLines(
  sources: readonly ByteSource[],
  anomalies: Anomalies,
  visit: (line: LogLine) => void | Promise<void> | boolean,
  options: ScanOptions = {},
): Promise<void> {
  const { signal, afterBatch } = options;
  const checkAll = options.check !== "used";
  const line = new LogLine();
  let ok = new Uint8Array(1024);
  for await (const batch of readLines(sources, anomalies.add, signal)) {
    const buf = Buffer.from(batch.buf.buffer, batch.buf.byteOffset, batch.buf.byteLength);
    // A plain Uint8Array view even when the reader hands a Buffer: JSC indexes
    // Buffer (a subclass) several times slower, and this loop indexes every byte.
    const raw = new Uint8Array(batch.buf.buffer, batch.buf.byteOffset, batch.buf.byteLength);
    line.source = batch.source;
    const bounds = batch.bounds;
    if (checkAll) {
      if (ok.length < batch.count) ok = new Uint8Array(batch.count * 2);
      checkLines(raw, bounds, 0, batch.count, ok);
    }
    for (let i = 0; i < batch.count; i++) {
      const start = bounds[2 * i]!;
      const end = bounds[2 * i + 1]!;
      if (start === end) continue;
      line.reset(buf, raw, start, end);
      line.lineNo = batch.firstLine + i;
      if (checkAll && ok[i] === 1) line.checkedWellFormed();
      if (line.name === null || (checkAll && !line.wellFormed())) {
        anomalies.malformed(batch.source, line.lineNo);
        continue;
      }
      const r = visit(line);
      if (r === false) return;
      if (r !== undefined && r !== true) await r;
      if (signal?.aborted) return;
    }
    if (afterBatch !== undefined) await afterBatch();
  }
}

/** Under check "used": true when the line is well formed; otherwise counts and reports it as malformed. */
export function usable(line: LogLine, anomalies: Anomalies): boolean {
  if (line.wellFormed()) return true;
  anomalies.malformed(line.source, line.lineNo);
  return false;
}

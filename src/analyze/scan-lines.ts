import { Buffer } from "node:buffer";
import { readLines } from "../log/index.ts";
import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { LogLine } from "./line.ts";

/**
 * Calls `visit` with every well-formed line of the sources, in order; blank
 * lines are ignored, malformed ones counted in `anomalies`. The LogLine is
 * reused: copy what you keep. `visit` may return a promise (replay's pacing).
 */
export async function scanLines(
  sources: readonly ByteSource[],
  anomalies: Anomalies,
  visit: (line: LogLine) => void | Promise<void> | boolean,
  signal?: AbortSignal,
  /** Called after each batch: the last moment its bytes are sure to be intact. */
  afterBatch?: () => void | Promise<void>,
): Promise<void> {
  const line = new LogLine();
  for await (const batch of readLines(sources, anomalies.add, signal)) {
    const buf = Buffer.from(batch.buf.buffer, batch.buf.byteOffset, batch.buf.byteLength);
    // A plain Uint8Array view even when the reader hands a Buffer: JSC indexes
    // Buffer (a subclass) several times slower, and this loop indexes every byte.
    const raw = new Uint8Array(batch.buf.buffer, batch.buf.byteOffset, batch.buf.byteLength);
    line.source = batch.source;
    const bounds = batch.bounds;
    for (let i = 0; i < batch.count; i++) {
      const start = bounds[2 * i]!;
      const end = bounds[2 * i + 1]!;
      if (start === end) continue;
      line.reset(buf, raw, start, end);
      line.lineNo = batch.firstLine + i;
      if (line.name === null) {
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

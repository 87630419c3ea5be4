import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { inCidr, inPorts, whereHolds } from "./filter-spec.ts";
import type { FilterSpec } from "./filter-spec.ts";
import { Buffer } from "node:buffer";
import { BytePattern } from "./byte-pattern.ts";
import { isFraming } from "./line.ts";
import type { LogLine } from "./line.ts";
import { BlockWriter } from "./output.ts";
import type { ByteWriter } from "./output.ts";
import { rowWriter } from "./rows.ts";
import type { RowFormat } from "./rows.ts";
import { scanLines } from "./scan-lines.ts";

export type FilterFormat = "lines" | RowFormat;

export interface FilterOptions {
  spec: FilterSpec;
  /** "lines" writes the matching input lines byte for byte. */
  format: FilterFormat;
  count: boolean;
  /** Count matching lines per value of this field (dotted path) instead of printing them. */
  countBy?: readonly string[];
  /** With countBy: only the N most frequent values. */
  top?: number;
  signal?: AbortSignal;
}

/**
 * The test a line must pass, cheapest checks first: the event name decides most
 * lines without parsing. Framing lines (log_started, log_ended) are never events.
 */
export function compileLineFilter(spec: FilterSpec): (line: LogLine) => boolean {
  const { events, scanId, since, until, targets, ports, where } = spec;
  const plainPatterns = plainPatternsOf(where);
  return (line) => {
    const name = line.name!;
    if (events !== undefined ? !events.has(name) : isFraming(name)) return false;
    if (scanId !== undefined && line.field("scan_id") !== scanId) return false;
    if (since !== undefined || until !== undefined) {
      const t = line.timestampText();
      if (t === null || (since !== undefined && t < since) || (until !== undefined && t >= until)) return false;
    }
    if (ports !== undefined) {
      const p = line.field("port");
      if (typeof p !== "number" || !inPorts(ports, p)) return false;
    }
    if (targets !== undefined) {
      const ip = line.field("target") ?? line.field("ip");
      if (typeof ip !== "string" || !targets.some((c) => inCidr(c, ip))) return false;
    }
    if (where !== undefined) {
      for (let i = 0; i < where.length; i++) {
        const clause = where[i]!;
        const patterns = plainPatterns[i];
        if (patterns !== undefined) {
          const same = line.has(patterns);
          if (same !== null) {
            if (same !== (clause.op === "=")) return false;
            continue;
          }
        }
        if (!whereHolds(clause, line.path(clause.path))) return false;
      }
    }
    return true;
  };
}

/**
 * For `key=value` and `key!=value` on a top-level key, the bytes the encoder
 * writes when the value holds (`"state":"Open"`, or `"port":22` then `,` or `}`),
 * so lines are tested without decoding them. Values that might need escaping,
 * or numbers in other spellings, take the decoding road.
 */
function plainPatternsOf(where: FilterSpec["where"]): (BytePattern[] | undefined)[] {
  return (where ?? []).map((c) => {
    if ((c.op !== "=" && c.op !== "!=") || c.path.length !== 1) return undefined;
    const key = JSON.stringify(c.path[0]);
    if (/^(0|[1-9]\d{0,14})$/.test(c.value)) {
      return [new BytePattern(Buffer.from(`${key}:${c.value},`)), new BytePattern(Buffer.from(`${key}:${c.value}}`))];
    }
    if (/^(true|false|null)$/.test(c.value) || !/^[A-Za-z0-9_.:\/ +-]*$/.test(c.value)) return undefined;
    return [new BytePattern(Buffer.from(`${key}:"${c.value}"`))];
  });
}

/** Runs a filter over the sources; returns how many lines matched. */
export async function runFilter(
  sources: readonly ByteSource[],
  options: FilterOptions,
  out: ByteWriter,
  anomalies: Anomalies,
): Promise<number> {
  const keep = compileLineFilter(options.spec);
  let matched = 0;
  if (options.countBy !== undefined) {
    const path = options.countBy;
    const byName = path.length === 1 && path[0] === "event";
    const counts = new Map<unknown, number>();
    await scanLines(
      sources,
      anomalies,
      (line) => {
        if (!keep(line)) return;
        matched++;
        const v = byName ? line.name : line.path(path);
        const key = typeof v === "object" && v !== null ? JSON.stringify(v) : v;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      },
      options.signal,
    );
    const rows = [...counts].sort((a, b) => b[1] - a[1] || compareValues(a[0], b[0]));
    const shown = options.top === undefined ? rows : rows.slice(0, options.top);
    const width = String(shown[0]?.[1] ?? 0).length;
    await out.write(shown.map(([v, n]) => `${String(n).padStart(width)} ${v === undefined ? "(none)" : String(v)}\n`).join(""));
    return matched;
  }
  if (options.count) {
    await scanLines(sources, anomalies, (line) => void (keep(line) && matched++), options.signal);
    await out.write(`${matched}\n`);
    return matched;
  }
  const block = new BlockWriter(out);
  if (options.format === "lines") {
    // Matching lines that follow each other in the input are copied as one
    // region (newlines included), not line by line. A region is written out
    // at the end of each batch, while its bytes are sure to be there.
    let regionBuf: Uint8Array | null = null;
    let regionStart = 0;
    let regionEnd = 0;
    const flushRegion = () => {
      const buf = regionBuf;
      regionBuf = null;
      return buf === null ? undefined : block.line(buf.subarray(regionStart, regionEnd));
    };
    await scanLines(
      sources,
      anomalies,
      (line) => {
        if (!keep(line)) return;
        matched++;
        if (line.raw === regionBuf && line.start === regionEnd + 1 && line.raw[regionEnd] === 10) {
          regionEnd = line.end;
          return;
        }
        const pending = flushRegion();
        regionBuf = line.raw;
        regionStart = line.start;
        regionEnd = line.end;
        return pending;
      },
      options.signal,
      flushRegion,
    );
  } else {
    const rows = rowWriter(options.format, options.spec.events, block);
    await scanLines(
      sources,
      anomalies,
      (line) => {
        if (!keep(line)) return;
        matched++;
        return rows.row(line);
      },
      options.signal,
    );
    await rows.end();
  }
  await block.flush();
  return matched;
}

/** Ties in --count-by: numbers numerically, everything else as text (plain code-unit order, cheap). */
function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

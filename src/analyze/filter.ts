import { Buffer } from "node:buffer";
import type { ByteSource } from "../log/index.ts";
import { BytePattern } from "./byte-pattern.ts";
import { renderCounts } from "./count-rows.ts";
import type { Anomalies } from "./anomalies.ts";
import { inCidr, inPorts, whereHolds } from "./filter-spec.ts";
import type { FilterSpec } from "./filter-spec.ts";
import { isFraming } from "./line.ts";
import { nameOfLine } from "./line-names.ts";
import type { LogLine } from "./line.ts";
import { BlockWriter } from "./output.ts";
import type { ByteWriter } from "./output.ts";
import { rowWriter } from "./rows.ts";
import type { RowFormat } from "./rows.ts";
import { KeptLines, scanKept } from "./kept-lines.ts";
import { compilePrefilter, plainPatternsOf } from "./prefilter.ts";
import { scanLines, usable } from "./scan-lines.ts";

export type FilterFormat = "lines" | RowFormat;

export interface FilterOptions {
  spec: FilterSpec;
  /** "lines" writes the matching input lines byte for byte. */
  format: FilterFormat;
  count: boolean;
  /** Count matching lines per value of this field (dotted path) instead of printing them, in `format`. */
  countBy?: readonly string[];
  /** With countBy: only the N most frequent values. */
  top?: number;
  signal?: AbortSignal;
  /** A remark for the user beside the output (stderr): a --count-by field no matching line has. */
  note?: (message: string) => void;
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
    if (scanId !== undefined && !scanId.test(line.scanId())) return false;
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
 * Runs a filter over the sources; returns how many lines matched. Lines are
 * judged from their bytes where possible and checked whole only once kept
 * (kept-lines.ts): passing over the rest costs a few byte compares each.
 */
export async function runFilter(
  sources: readonly ByteSource[],
  options: FilterOptions,
  out: ByteWriter,
  anomalies: Anomalies,
): Promise<number> {
  const test = compileLineFilter(options.spec);
  const prefilter = compilePrefilter(options.spec);
  const signal = options.signal;
  let matched = 0;
  if (options.countBy !== undefined) {
    const counts = new ValueCounts();
    const path = options.countBy;
    const byName = path.length === 1 && path[0] === "event";
    const key = path.length === 1 ? path[0]! : null;
    const valueOf = (line: LogLine) => (byName ? line.name : key !== null ? line.field(key) : line.path(path));
    const quick = key !== null && !byName ? new BytePattern(Buffer.from(`${JSON.stringify(key)}:`)) : null;
    await scanKept(sources, anomalies, {
      prefilter,
      test,
      signal,
      // Tallied once checked, so a malformed line never counts; from the bytes where they suffice.
      batchEnd: (kept, buf, raw, line) => {
        matched += kept.check(buf, raw, line, anomalies);
        const bounds = kept.bounds;
        for (let i = 0; i < kept.count; i++) {
          if (!kept.isOk(i)) continue;
          const start = bounds[2 * i]!;
          const end = bounds[2 * i + 1]!;
          let v: unknown = NOT_READ;
          if (kept.isFlat(i) && byName) {
            const entry = nameOfLine(raw, start, end);
            if (entry?.known === true) {
              counts.addKnownEvent(entry.id, entry.name);
              continue;
            }
            if (entry !== null) v = entry.name;
          } else if (kept.isFlat(i) && quick !== null) v = plainInteger(quick, buf, raw, start, end);
          if (v === NOT_READ) {
            line.reset(buf, raw, start, end);
            v = valueOf(line);
          }
          // An array (san) counts each element, as jq's `.san[]` would; an empty one as (none).
          if (Array.isArray(v) && v.length > 0) for (const e of v) counts.add(e, 1);
          else counts.add(Array.isArray(v) ? undefined : v, 1);
        }
      },
    });
    const rows = counts.rows().sort((a, b) => b[1] - a[1] || compareValues(a[0], b[0]));
    const shown = options.top === undefined ? rows : rows.slice(0, options.top);
    await out.write(renderCounts(shown, path.join("."), options.format, (v) => counts.parsed(v)));
    // As jq, a missing field is counted as (none); when no line had it at all, a typo is the likelier story.
    if (matched > 0 && rows.length === 1 && rows[0]![0] === undefined) {
      options.note?.(`no matching line has the field ${JSON.stringify(path.join("."))} (--count-by): all ${matched} counted as (none)`);
    }
    return matched;
  }
  const block = new BlockWriter(out);
  if (options.count || options.format === "lines") {
    await scanKept(sources, anomalies, {
      prefilter,
      test,
      signal,
      batchEnd: async (kept, buf, raw, line) => {
        matched += kept.check(buf, raw, line, anomalies);
        if (!options.count) await writeRegions(buf, raw, kept, block);
      },
    });
    if (options.count) await out.write(`${matched}\n`);
  } else {
    const rows = rowWriter(options.format, options.spec.events, block);
    await scanLines(
      sources,
      anomalies,
      (line) => {
        if (!test(line) || !usable(line, anomalies)) return;
        matched++;
        return rows.row(line);
      },
      { signal, check: "used" },
    );
    await rows.end();
  }
  await block.flush();
  return matched;
}

/**
 * The well-formed kept lines of a batch, byte for byte: lines that follow each
 * other in the input go out as one region (newlines included), not line by line.
 */
async function writeRegions(buf: Buffer, raw: Uint8Array, kept: KeptLines, block: BlockWriter): Promise<void> {
  const bounds = kept.bounds;
  let from = -1;
  let to = -1;
  for (let i = 0; i < kept.count; i++) {
    if (!kept.isOk(i)) continue;
    const start = bounds[2 * i]!;
    const end = bounds[2 * i + 1]!;
    if (from >= 0 && start === to + 1 && raw[to] === 10) {
      to = end;
      continue;
    }
    // Awaited only when a block went out: an await per region costs a turn of the microtask queue.
    const pending = from >= 0 ? block.region(buf, from, to) : undefined;
    if (pending !== undefined) await pending;
    from = start;
    to = end;
  }
  if (from >= 0) await block.region(buf, from, to);
}

const NOT_READ = Symbol("not read");

/**
 * In a flat line (where `"key":` can only be that key), the key's value when it
 * is a plain non-negative integer, undefined when the key is absent, NOT_READ
 * otherwise (left to LogLine).
 */
function plainInteger(key: BytePattern, buf: Buffer, raw: Uint8Array, start: number, end: number): unknown {
  const at = key.nextFrom(buf, start);
  if (at < 0 || at >= end) return undefined;
  let p = at + key.size;
  let n = 0;
  const from = p;
  for (; p < end && p - from < 15; p++) {
    const d = raw[p]! - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  const next = raw[p];
  return p > from && (next === 44 || next === 125) && (raw[from] !== 48 || p === from + 1) ? n : NOT_READ;
}

/**
 * --count-by tallies: small non-negative integers (ports, stages, attempts) in
 * a typed array, everything else (names, hosts, objects as JSON) in a Map.
 */
class ValueCounts {
  private readonly small = new Float64Array(1 << 16);
  private readonly other = new Map<unknown, number>();
  /** Keys that are an object's JSON text (tallied as text so equal objects meet). */
  private readonly objects = new Set<string>();
  /** Known event names by type id: counting them is the whole of --count-by event. */
  private readonly events = new Float64Array(64);
  private readonly eventNames: string[] = [];

  addKnownEvent(id: number, name: string): void {
    this.events[id]!++;
    this.eventNames[id] = name;
  }

  /** Adds `n` (1, or -1 to take back a line found malformed) to the tally of `v`. */
  add(v: unknown, n: number): void {
    if (typeof v === "number" && v >= 0 && v < 65536 && (v | 0) === v) {
      this.small[v]! += n;
      return;
    }
    const key = typeof v === "object" && v !== null ? JSON.stringify(v) : v;
    if (key !== v) this.objects.add(key as string);
    const now = (this.other.get(key) ?? 0) + n;
    if (now === 0) this.other.delete(key);
    else this.other.set(key, now);
  }

  /** A tallied value as it was: an object again where its key is the object's JSON text. */
  parsed(v: unknown): unknown {
    return typeof v === "string" && this.objects.has(v) ? JSON.parse(v) : v;
  }

  rows(): [unknown, number][] {
    this.eventNames.forEach((name, id) => this.add(name, this.events[id]!));
    this.events.fill(0);
    const rows = [...this.other];
    const small = this.small;
    for (let v = 0; v < small.length; v++) if (small[v]! > 0) rows.push([v, small[v]!]);
    return rows;
  }
}

/** Ties in --count-by: numbers numerically, everything else as text (plain code-unit order, cheap). */
function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

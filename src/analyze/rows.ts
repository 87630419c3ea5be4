import { EVENT_TYPES, SCHEMA, isEventType } from "../events/index.ts";
import type { LogLine } from "./line.ts";
import type { BlockWriter } from "./output.ts";
import { escapeControls } from "../printable.ts";

export type RowFormat = "table" | "csv" | "json";

export interface RowWriter {
  row(line: LogLine): Promise<void> | undefined;
  end(): Promise<void>;
}

/**
 * timestamp, event, scan_id, then every field of the selected types in schema
 * order. Without a selection (all 18 types would make ~60 mostly empty
 * columns), target and port, then `details`: the other fields as key=value.
 */
export function columnsFor(events: ReadonlySet<string> | undefined): string[] {
  if (events === undefined) return ["timestamp", "event", "scan_id", "target", "port", "details"];
  const cols = ["timestamp", "event", "scan_id"];
  for (const t of EVENT_TYPES) {
    if (!events.has(t)) continue;
    for (const [name] of SCHEMA[t].fields) if (!cols.includes(name)) cols.push(name);
  }
  for (const e of events) if (!isEventType(e) && !cols.includes("details")) cols.push("details");
  return cols;
}

const STAMP = new Set(["event", "scan_id", "seq", "timestamp"]);

function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.join(" ");
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function valuesOf(line: LogLine, cols: readonly string[]): string[] {
  return cols.map((c) => {
    if (c !== "details") return cell(line.field(c));
    const obj = line.object();
    if (obj === null) return "";
    return Object.entries(obj)
      .filter(([k, v]) => !STAMP.has(k) && !cols.includes(k) && v !== null)
      .map(([k, v]) => `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`)
      .join(" ");
  });
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows for --format: csv and json stream; table measures its first rows to set widths. */
export function rowWriter(format: RowFormat, events: ReadonlySet<string> | undefined, out: BlockWriter): RowWriter {
  const cols = columnsFor(events);
  if (format === "csv") {
    let header = false;
    return {
      row(line) {
        const pending = header ? undefined : out.text(cols.join(","));
        header = true;
        const text = valuesOf(line, cols).map(csvCell).join(",");
        return pending === undefined ? out.text(text) : pending.then(() => out.text(text));
      },
      end: async () => {
        if (!header) await out.text(cols.join(","));
      },
    };
  }
  if (format === "json") {
    let first = true;
    return {
      row(line) {
        const prefix = first ? "[" : ",";
        first = false;
        return out.text(prefix + line.text());
      },
      end: () => out.text(first ? "[]" : "]"),
    };
  }
  return tableWriter(cols, out);
}

function tableWriter(cols: readonly string[], out: BlockWriter): RowWriter {
  const sample: string[][] = [];
  let widths: number[] | null = null;
  const emit = (values: readonly string[]) =>
    out.text(values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths![i]!))).join("  ").trimEnd());
  const settle = async () => {
    widths = cols.map((c, i) => Math.min(40, Math.max(c.length, ...sample.map((r) => r[i]!.length))));
    await emit(cols.map((c) => c.toUpperCase()));
    for (const r of sample) await emit(r);
    sample.length = 0;
  };
  return {
    row(line) {
      // For a terminal, unlike csv and json: a log's text is shown, never obeyed.
      const values = valuesOf(line, cols).map(escapeControls);
      if (widths !== null) return emit(values);
      sample.push(values);
      return sample.length >= 200 ? settle() : undefined;
    },
    end: async () => {
      if (widths === null) await settle();
    },
  };
}

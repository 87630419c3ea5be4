import type { RowFormat } from "./rows.ts";

// --count-by's tallies in the --format asked for: `uniq -c`'s shape by default,
// a headed table, CSV, or a JSON array (for jq) of {FIELD: value, count: n}.

/** One tallied value (undefined when the field was absent) and how many lines had it. */
export type CountRow = readonly [value: unknown, count: number];

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The rows, already in order, as text. `field` is the counted path as typed
 * (port, target, extra.depth); `parsed` turns a tallied object back from its
 * JSON text, so JSON output nests it instead of quoting it.
 */
export function renderCounts(rows: readonly CountRow[], field: string, format: "lines" | RowFormat, parsed: (v: unknown) => unknown = (v) => v): string {
  const text = (v: unknown) => (v === undefined ? "(none)" : String(v));
  switch (format) {
    case "json": {
      // A field named "count" would collide with the tally's own key.
      const key = field === "count" ? "value" : field;
      return `[${rows.map(([v, n]) => JSON.stringify({ [key]: v === undefined ? null : parsed(v), count: n })).join(",")}]\n`;
    }
    case "csv":
      return [`count,${csvCell(field)}`, ...rows.map(([v, n]) => `${n},${csvCell(v === undefined ? "" : String(v))}`)].join("\n") + "\n";
    case "table": {
      const width = Math.max(5, ...rows.map(([, n]) => String(n).length));
      const head = `${"COUNT".padStart(width)}  ${field.toUpperCase()}`;
      return [head, ...rows.map(([v, n]) => `${String(n).padStart(width)}  ${text(v)}`)].join("\n") + "\n";
    }
    default: {
      const width = String(rows[0]?.[1] ?? 0).length;
      return rows.map(([v, n]) => `${String(n).padStart(width)} ${text(v)}\n`).join("");
    }
  }
}

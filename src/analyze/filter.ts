import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { inCidr, inPorts, whereHolds } from "./filter-spec.ts";
import type { FilterSpec } from "./filter-spec.ts";
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
  signal?: AbortSignal;
}

/**
 * The test a line must pass, cheapest checks first: the event name decides most
 * lines without parsing. Framing lines (log_started, log_ended) are never events.
 */
export function compileLineFilter(spec: FilterSpec): (line: LogLine) => boolean {
  const { events, scanId, since, until, targets, ports, where } = spec;
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
      for (const clause of where) if (!whereHolds(clause, line.path(clause.path))) return false;
    }
    return true;
  };
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
  if (options.count) {
    await scanLines(sources, anomalies, (line) => void (keep(line) && matched++), options.signal);
    await out.write(`${matched}\n`);
    return matched;
  }
  const block = new BlockWriter(out);
  if (options.format === "lines") {
    // Writes are only awaited when a block fills, so most lines cost no promise.
    await scanLines(
      sources,
      anomalies,
      (line) => {
        if (!keep(line)) return;
        matched++;
        return block.line(line.bytes());
      },
      options.signal,
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

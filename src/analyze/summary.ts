import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import type { LogLine } from "./line.ts";
import { ID, ScanAccumulator } from "./scan-accumulator.ts";
import { scanLines } from "./scan-lines.ts";

export interface ServiceSummary {
  host: string;
  port: number;
  service: string;
  version: string | null;
}

/** What one scan of a log did, as far as the log goes. */
export interface ScanSummary {
  scanId: string;
  /** ScanStarted's scan_type: a combined -sS/-sT -sU scan names only its TCP technique there. */
  scanType: string | null;
  /** Every technique the scan ran: scanType, then "Udp" when a combined scan's UDP pass found ports. */
  scanTypes: string[];
  /** ISO times; start falls back to the first event, end to the last one. */
  start: string | null;
  end: string | null;
  durationSeconds: number | null;
  /** "cut short": no end, and the log restarted after it (a new process appended), so none will come. */
  status: "completed" | "cancelled" | "incomplete" | "cut short";
  /** Where the log restarted after a cut-short scan ("file:line" of the log_started), else null. */
  cutShortAt: string | null;
  /** No ScanStarted: the log holds only the end of this scan (pruned files, a filtered copy). */
  startsMidScan: boolean;
  /** Files the log says it continues that were not read, before or during this scan (basenames). */
  missingFiles: string[];
  /** Seq numbers missing between this scan's events: events the bus or the logger lost, or lines removed. */
  missingEvents: number;
  /** ScanCompleted's own hosts_up and open_ports, beside the counted ones (they differ when lines are missing). */
  completedTotals: { hostsUp: number | null; openPorts: number | null } | null;
  targets: number | null;
  hostsUp: number;
  openPorts: number;
  /** host -> sorted "port/proto" entries. */
  openPortsByHost: Record<string, string[]>;
  topOpenPorts: { port: number; hosts: number }[];
  services: ServiceSummary[];
  eventCounts: Record<string, number>;
  warningsByCode: Record<string, number>;
  retries: number;
  rateLimitHits: number;
  /**
   * Mean ProgressUpdate pps while probes were being sent: from the first update with
   * pps above 0 to the last one. The stages after sending (waiting for the last
   * replies, finalisation) report 0 and would pull the mean under --max-rate.
   */
  meanPps: number | null;
  peakPps: number | null;
}

export interface LogSummary {
  scans: ScanSummary[];
  /** Events outside any scan (framing aside): unknown events without scan_id. */
  events: number;
  /** No `log_ended` after the last `log_started`: the log was cut short. */
  complete: boolean;
  /** The sum of log_ended's `lost`: events the logger could not write (a full disk). */
  lostEvents: number;
}

/** The file names a log_started's `continues` and a source are compared by: a rotated file may have been gzipped since. */
function plainName(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  return name.endsWith(".gz") ? name.slice(0, -3) : name;
}

/**
 * Summarises every scan in the sources, each separately, in the order the
 * scans start in the log. With `onScan`, each scan is handed over (and
 * forgotten) as soon as it and every scan that started before it have ended:
 * with ScanCompleted or ScanCancelled, or cut short by a restart of the log
 * (a log_started that continues nothing: a new process appended). A log of
 * many scans in a row needs the memory of one. Scans with no end follow at the
 * end. Without `onScan`, all come back in the result.
 */
export async function summarize(
  sources: readonly ByteSource[],
  anomalies: Anomalies,
  signal?: AbortSignal,
  onScan?: (scan: ScanSummary) => void | Promise<void>,
): Promise<LogSummary> {
  const done: ScanSummary[] = [];
  const emit = onScan ?? ((scan: ScanSummary) => void done.push(scan));
  /** Scans not yet ended, by id. */
  const scans = new Map<string, ScanAccumulator>();
  /** Every scan not yet handed over, in the order it started: an ended one waits for those before it. */
  const queue: { acc: ScanAccumulator; summary: ScanSummary | null }[] = [];
  const entries = new Map<ScanAccumulator, { acc: ScanAccumulator; summary: ScanSummary | null }>();
  let current: ScanAccumulator | null = null;
  let currentId = "";
  let loose = 0;
  let open = false;
  let sawFraming = false;
  let lost = 0;
  /** The source of the last log_ended that rotated: the file the next log_started must continue. */
  let rotatedFrom: string | null = null;
  /** A file the log continues but that was not read, waiting for the next scan that starts without ScanStarted. */
  let missingFile: string | null = null;

  const end = (acc: ScanAccumulator) => {
    scans.delete(acc.scanId);
    entries.get(acc)!.summary = acc.finish();
    entries.delete(acc);
    if (current === acc) current = null;
  };
  const flush = async () => {
    while (queue.length > 0 && queue[0]!.summary !== null) await emit(queue.shift()!.summary!);
  };
  const restart = (line: LogLine) => {
    const continues = line.field("continues");
    if (typeof continues !== "string") {
      // A new log: whatever scan had no end will never get one.
      for (const acc of [...scans.values()]) {
        acc.status = "cut short";
        acc.cutShortAt = `${line.source}:${line.lineNo}`;
        end(acc);
      }
      missingFile = null;
    } else if (rotatedFrom === null || (rotatedFrom !== "-" && plainName(rotatedFrom) !== plainName(continues))) {
      // The file this one continues was not read (pruned, or not given): what ran then is unknown.
      missingFile = plainName(continues);
      for (const acc of scans.values()) acc.missingFiles.push(missingFile);
    }
    rotatedFrom = null;
  };

  await scanLines(
    sources,
    anomalies,
    (line) => {
      const name = line.name!;
      if (name === "log_started") {
        sawFraming = true;
        open = true;
        restart(line);
        return flush();
      }
      if (name === "log_ended") {
        open = line.field("reason") === "rotated";
        rotatedFrom = open ? line.source : null;
        const n = line.field("lost");
        if (typeof n === "number") lost += n;
        return;
      }
      const id = line.scanId();
      if (typeof id !== "string") {
        loose++;
        return;
      }
      if (current === null || id !== currentId) {
        current = scans.get(id) ?? null;
        if (current === null) {
          scans.set(id, (current = new ScanAccumulator(id)));
          const entry = { acc: current, summary: null };
          queue.push(entry);
          entries.set(current, entry);
          // The first scan after a missing file is the one it cut the start off, unless it starts here.
          if (missingFile !== null && line.typeId !== ID.ScanStarted) current.missingFiles.push(missingFile);
          missingFile = null;
        }
        currentId = id;
      }
      current.add(line, name);
      if (current.status !== "incomplete") {
        end(current);
        return flush();
      }
    },
    { signal },
  );
  for (const acc of [...scans.values()]) end(acc);
  await flush();
  return { scans: done, events: loose, complete: !(sawFraming && open), lostEvents: lost };
}

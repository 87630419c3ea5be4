import { EVENT_TYPES, typeId } from "../events/index.ts";
import type { EventType } from "../events/index.ts";
import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { Buffer } from "node:buffer";
import { BytePattern } from "./byte-pattern.ts";
import type { LogLine } from "./line.ts";
import { OpenPorts, PortTally } from "./open-ports.ts";
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

// Most PortFound lines are not Open: one amortised native search per buffer
// rejects them without walking the line's fields.
const OPEN = [new BytePattern(Buffer.from('"state":"Open"'))];
const UDP = new TextEncoder().encode("Udp");
// Any UDP port, whatever its state: a combined scan's ScanStarted names only the TCP technique.
const UDP_PORT = [new BytePattern(Buffer.from('"protocol":"Udp"'))];
// Type ids to switch on: a switch over numbers is a jump, one over strings a row of compares.
const ID = Object.fromEntries(EVENT_TYPES.map((t) => [t, typeId(t)])) as Record<EventType, number>;
const UNKNOWN = typeId("");

const QUOTE = 34;
const COLON = 58;
const COMMA = 44;

/**
 * The line's seq, read backwards from the end where the encoder puts it
 * (`,"seq":N,"timestamp":"…24…"}`): a few bytes, no field walk, as this runs
 * for every line. Lines written otherwise take the field lookup; -1 when none.
 */
function seqOf(line: LogLine): number {
  const raw = line.raw;
  const end = line.end;
  // `,"timestamp":"` starts 40 bytes from the end; the seq's digits end right before it.
  if (raw[end - 27] === QUOTE && raw[end - 28] === COLON && raw[end - 40] === COMMA) {
    let p = end - 41;
    let n = 0;
    let scale = 1;
    while (p > line.start && raw[p]! >= 48 && raw[p]! <= 57) {
      n += (raw[p]! - 48) * scale;
      scale *= 10;
      p--;
    }
    // `"seq":` before the digits.
    if (scale > 1 && raw[p] === COLON && raw[p - 1] === QUOTE && raw[p - 2] === 113 && raw[p - 3] === 101 && raw[p - 4] === 115) return n;
  }
  const seq = line.field("seq");
  return typeof seq === "number" ? seq : -1;
}

class ScanAccumulator {
  scanType: string | null = null;
  startedAt: string | null = null;
  private readonly firstTs = new Uint8Array(24);
  private readonly lastTs = new Uint8Array(24);
  private hasTs = false;
  endedAt: string | null = null;
  duration: number | null = null;
  status: ScanSummary["status"] = "incomplete";
  targets: number | null = null;
  readonly hostsUp = new Set<string>();
  readonly open = new OpenPorts();
  readonly services = new Map<string, ServiceSummary>();
  /** Counts of known types by type id; unknown names in `otherCounts`. */
  private readonly counts = new Float64Array(UNKNOWN);
  private readonly otherCounts = new Map<string, number>();
  readonly warnings = new Map<string, number>();
  retries = 0;
  rateLimits = 0;
  /** pps summed from the first update above 0; the `sending` pair stops at the last one above 0. */
  private ppsSum = 0;
  private ppsCount = 0;
  private sendingSum = 0;
  private sendingCount = 0;
  private ppsPeak = -Infinity;
  private sawUpdate = false;
  private sawUdp = false;
  private lastSeq = -1;
  private missingSeq = 0;
  cutShortAt: string | null = null;
  readonly missingFiles: string[] = [];
  private completedTotals: ScanSummary["completedTotals"] = null;

  constructor(readonly scanId: string) {}

  add(line: LogLine, name: string): void {
    const id = line.typeId;
    // Gaps between consecutive seqs only: one before the first line is a pruned start, reported as such.
    const seq = seqOf(line);
    if (seq > this.lastSeq) {
      if (this.lastSeq >= 0) this.missingSeq += seq - this.lastSeq - 1;
      this.lastSeq = seq;
    }
    if (id === UNKNOWN) this.otherCounts.set(name, (this.otherCounts.get(name) ?? 0) + 1);
    else this.counts[id]!++;
    if (line.copyTimestamp(this.lastTs) && !this.hasTs) {
      this.firstTs.set(this.lastTs);
      this.hasTs = true;
    }
    switch (id) {
      case ID.PortFound:
      case ID.IPv6PortFound: {
        if (!this.sawUdp && this.scanType !== "Udp" && (line.has(UDP_PORT) ?? line.fieldIs("protocol", UDP))) this.sawUdp = true;
        const open = line.has(OPEN);
        if (open === false || (open === null && line.field("state") !== "Open")) return;
        const host = line.field("target");
        const port = line.field("port");
        if (typeof host !== "string" || typeof port !== "number") return;
        this.hostsUp.add(host);
        this.open.add(host, port * 2 + (line.fieldIs("protocol", UDP) ? 1 : 0));
        return;
      }
      case ID.HostDiscovered: {
        const ip = line.field("ip");
        if (typeof ip === "string") this.hostsUp.add(ip);
        return;
      }
      case ID.ServiceDetected: {
        const host = String(line.field("target"));
        const port = Number(line.field("port"));
        const version = line.field("version");
        this.services.set(`${host} ${port}`, {
          host,
          port,
          service: String(line.field("service")),
          version: typeof version === "string" ? version : null,
        });
        return;
      }
      case ID.ProgressUpdate: {
        const pps = line.field("pps");
        if (typeof pps === "number") {
          this.sawUpdate = true;
          if (pps > this.ppsPeak) this.ppsPeak = pps;
          if (pps <= 0 && this.ppsCount === 0) return;
          this.ppsSum += pps;
          this.ppsCount++;
          if (pps > 0) {
            this.sendingSum = this.ppsSum;
            this.sendingCount = this.ppsCount;
          }
        }
        return;
      }
      case ID.WarningIssued: {
        const code = String(line.field("code"));
        this.warnings.set(code, (this.warnings.get(code) ?? 0) + 1);
        return;
      }
      case ID.RetryScheduled:
        this.retries++;
        return;
      case ID.RateLimitTriggered:
        this.rateLimits++;
        return;
      case ID.ScanStarted: {
        this.startedAt = line.timestampText();
        const type = line.field("scan_type");
        const targets = line.field("target_count");
        this.scanType = typeof type === "string" ? type : null;
        this.targets = typeof targets === "number" ? targets : null;
        return;
      }
      case ID.ScanCompleted: {
        this.status = "completed";
        this.endedAt = line.timestampText();
        const d = line.field("duration");
        this.duration = typeof d === "number" ? d : null;
        const hostsUp = line.field("hosts_up");
        const openPorts = line.field("open_ports");
        this.completedTotals = { hostsUp: typeof hostsUp === "number" ? hostsUp : null, openPorts: typeof openPorts === "number" ? openPorts : null };
        if (this.targets === null) {
          const scanned = line.field("targets_scanned");
          if (typeof scanned === "number") this.targets = scanned;
        }
        return;
      }
      case ID.ScanCancelled:
        this.status = "cancelled";
        this.endedAt = line.timestampText();
        return;
    }
  }

  finish(): ScanSummary {
    const byPort = new PortTally();
    const openPortsByHost: Record<string, string[]> = {};
    let openPorts = 0;
    // One label string per distinct port ("22/tcp"), shared by every host that has it open.
    const labels = new Map<number, string>();
    const label = (k: number) => {
      let text = labels.get(k);
      if (text === undefined) labels.set(k, (text = `${Math.floor(k / 2)}/${k % 2 === 1 ? "udp" : "tcp"}`));
      return text;
    };
    for (const [host, keys] of this.open.byHost((hosts) => sortHosts(hosts, (h) => h))) {
      openPortsByHost[host] = keys.map(label);
      openPorts += keys.length;
      for (const k of keys) byPort.add(Math.floor(k / 2));
    }
    const text = (bytes: Uint8Array) => (this.hasTs ? String.fromCharCode(...bytes) : null);
    const start = this.startedAt ?? text(this.firstTs);
    const end = this.endedAt ?? text(this.lastTs);
    const span = start !== null && end !== null ? (Date.parse(end) - Date.parse(start)) / 1000 : null;
    return {
      scanId: this.scanId,
      scanType: this.scanType,
      scanTypes: [...(this.scanType === null ? [] : [this.scanType]), ...(this.sawUdp && this.scanType !== "Udp" ? ["Udp"] : [])],
      start,
      end,
      durationSeconds: this.duration ?? span,
      status: this.status,
      cutShortAt: this.cutShortAt,
      startsMidScan: this.startedAt === null,
      missingFiles: this.missingFiles,
      missingEvents: this.missingSeq,
      completedTotals: this.completedTotals,
      targets: this.targets,
      hostsUp: this.hostsUp.size,
      openPorts,
      openPortsByHost,
      topOpenPorts: byPort.top(10).map(([port, hosts]) => ({ port, hosts })),
      services: sortHosts([...this.services.values()].sort((a, b) => a.port - b.port), (v) => v.host),
      eventCounts: Object.fromEntries(
        [...EVENT_TYPES.map((t): [string, number] => [t, this.counts[ID[t]]!]).filter(([, n]) => n > 0), ...this.otherCounts].sort(
          (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
        ),
      ),
      warningsByCode: Object.fromEntries([...this.warnings].sort((a, b) => b[1] - a[1])),
      retries: this.retries,
      rateLimitHits: this.rateLimits,
      // Updates that all read 0 (nothing sent): the mean is 0, not unknown.
      meanPps: !this.sawUpdate ? null : this.sendingCount === 0 ? 0 : Math.round((this.sendingSum / this.sendingCount) * 10) / 10,
      peakPps: !this.sawUpdate ? null : this.ppsPeak,
    };
  }
}

/** IPv4 as a number for ordering, or NaN. */
function ipv4Rank(host: string): number {
  const p = host.split(".");
  if (p.length !== 4) return Number.NaN;
  return ((Number(p[0]) * 256 + Number(p[1])) * 256 + Number(p[2])) * 256 + Number(p[3]);
}

/** Items ordered by host as compareHosts orders them (stable), each host parsed once. */
export function sortHosts<T>(items: readonly T[], hostOf: (item: T) => string): T[] {
  const keyed = items.map((item, i) => ({ item, i, host: hostOf(item), rank: ipv4Rank(hostOf(item)) }));
  keyed.sort((a, b) => {
    const an = Number.isNaN(a.rank);
    const bn = Number.isNaN(b.rank);
    if (!an && !bn) return a.rank - b.rank || a.i - b.i;
    if (an !== bn) return an ? 1 : -1;
    return (a.host < b.host ? -1 : a.host > b.host ? 1 : 0) || a.i - b.i;
  });
  return keyed.map((k) => k.item);
}

/** Numeric order for IPv4 (198.18.0.9 before 198.18.0.10), then others in text order. */
export function compareHosts(a: string, b: string): number {
  const ra = ipv4Rank(a);
  const rb = ipv4Rank(b);
  const an = Number.isNaN(ra);
  const bn = Number.isNaN(rb);
  if (!an && !bn) return ra - rb;
  if (an !== bn) return an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
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

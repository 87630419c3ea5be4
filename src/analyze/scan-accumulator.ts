// One scan's figures, gathered line by line as log summary reads: the per-line
// work of a summary, kept apart from the ordering of scans in summary.ts.
import { Buffer } from "node:buffer";
import { EVENT_TYPES, typeId } from "../events/index.ts";
import type { EventType } from "../events/index.ts";
import { BytePattern } from "./byte-pattern.ts";
import { sortHosts } from "./host-order.ts";
import type { LogLine } from "./line.ts";
import { OpenPorts, PortTally } from "./open-ports.ts";
import type { ScanSummary, ServiceSummary } from "./summary.ts";

// Most PortFound lines are not Open: one amortised native search per buffer
// rejects them without walking the line's fields.
const OPEN = [new BytePattern(Buffer.from('"state":"Open"'))];
const UDP = new TextEncoder().encode("Udp");
// Any UDP port, whatever its state: a combined scan's ScanStarted names only the TCP technique.
const UDP_PORT = [new BytePattern(Buffer.from('"protocol":"Udp"'))];
// Type ids to switch on: a switch over numbers is a jump, one over strings a row of compares.
export const ID = Object.fromEntries(EVENT_TYPES.map((t) => [t, typeId(t)])) as Record<EventType, number>;
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

export class ScanAccumulator {
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

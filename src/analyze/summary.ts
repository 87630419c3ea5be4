import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import type { LogLine } from "./line.ts";
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
  scanType: string | null;
  /** ISO times; start falls back to the first event, end to the last one. */
  start: string | null;
  end: string | null;
  durationSeconds: number | null;
  status: "completed" | "cancelled" | "incomplete";
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
  meanPps: number | null;
  peakPps: number | null;
}

export interface LogSummary {
  scans: ScanSummary[];
  /** Events outside any scan (framing aside): unknown events without scan_id. */
  events: number;
  /** No `log_ended` after the last `log_started`: the log was cut short. */
  complete: boolean;
}

const OPEN = new TextEncoder().encode("Open");
const UDP = new TextEncoder().encode("Udp");

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
  /** host -> port * 2 + (1 for udp). */
  readonly open = new Map<string, Set<number>>();
  readonly services = new Map<string, ServiceSummary>();
  readonly counts = new Map<string, number>();
  readonly warnings = new Map<string, number>();
  retries = 0;
  rateLimits = 0;
  ppsSum = 0;
  ppsCount = 0;
  ppsPeak = -Infinity;

  constructor(readonly scanId: string) {}

  add(line: LogLine, name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    if (line.copyTimestamp(this.lastTs) && !this.hasTs) {
      this.firstTs.set(this.lastTs);
      this.hasTs = true;
    }
    switch (name) {
      case "PortFound":
      case "IPv6PortFound": {
        if (!line.fieldIs("state", OPEN)) return;
        const host = line.field("target");
        const port = line.field("port");
        if (typeof host !== "string" || typeof port !== "number") return;
        this.hostsUp.add(host);
        let ports = this.open.get(host);
        if (ports === undefined) this.open.set(host, (ports = new Set()));
        ports.add(port * 2 + (line.fieldIs("protocol", UDP) ? 1 : 0));
        return;
      }
      case "HostDiscovered": {
        const ip = line.field("ip");
        if (typeof ip === "string") this.hostsUp.add(ip);
        return;
      }
      case "ServiceDetected": {
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
      case "ProgressUpdate": {
        const pps = line.field("pps");
        if (typeof pps === "number") {
          this.ppsSum += pps;
          this.ppsCount++;
          if (pps > this.ppsPeak) this.ppsPeak = pps;
        }
        return;
      }
      case "WarningIssued": {
        const code = String(line.field("code"));
        this.warnings.set(code, (this.warnings.get(code) ?? 0) + 1);
        return;
      }
      case "RetryScheduled":
        this.retries++;
        return;
      case "RateLimitTriggered":
        this.rateLimits++;
        return;
      case "ScanStarted": {
        this.startedAt = line.timestampText();
        const type = line.field("scan_type");
        const targets = line.field("target_count");
        this.scanType = typeof type === "string" ? type : null;
        this.targets = typeof targets === "number" ? targets : null;
        return;
      }
      case "ScanCompleted": {
        this.status = "completed";
        this.endedAt = line.timestampText();
        const d = line.field("duration");
        this.duration = typeof d === "number" ? d : null;
        return;
      }
      case "ScanCancelled":
        this.status = "cancelled";
        this.endedAt = line.timestampText();
        return;
    }
  }

  finish(): ScanSummary {
    const byPort = new Map<number, number>();
    const openPortsByHost: Record<string, string[]> = {};
    let openPorts = 0;
    for (const host of [...this.open.keys()].sort(compareHosts)) {
      const keys = [...this.open.get(host)!].sort((a, b) => a - b);
      openPortsByHost[host] = keys.map((k) => `${k >> 1}/${k & 1 ? "udp" : "tcp"}`);
      openPorts += keys.length;
      for (const k of keys) byPort.set(k >> 1, (byPort.get(k >> 1) ?? 0) + 1);
    }
    const text = (bytes: Uint8Array) => (this.hasTs ? String.fromCharCode(...bytes) : null);
    const start = this.startedAt ?? text(this.firstTs);
    const end = this.endedAt ?? text(this.lastTs);
    const span = start !== null && end !== null ? (Date.parse(end) - Date.parse(start)) / 1000 : null;
    return {
      scanId: this.scanId,
      scanType: this.scanType,
      start,
      end,
      durationSeconds: this.duration ?? span,
      status: this.status,
      targets: this.targets,
      hostsUp: this.hostsUp.size,
      openPorts,
      openPortsByHost,
      topOpenPorts: [...byPort]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, 10)
        .map(([port, hosts]) => ({ port, hosts })),
      services: [...this.services.values()].sort((a, b) => compareHosts(a.host, b.host) || a.port - b.port),
      eventCounts: Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
      warningsByCode: Object.fromEntries([...this.warnings].sort((a, b) => b[1] - a[1])),
      retries: this.retries,
      rateLimitHits: this.rateLimits,
      meanPps: this.ppsCount === 0 ? null : Math.round((this.ppsSum / this.ppsCount) * 10) / 10,
      peakPps: this.ppsCount === 0 ? null : this.ppsPeak,
    };
  }
}

/** Numeric order for IPv4 (198.18.0.9 before 198.18.0.10), text order otherwise. */
export function compareHosts(a: string, b: string): number {
  const pa = a.split(".");
  const pb = b.split(".");
  if (pa.length === 4 && pb.length === 4) {
    for (let i = 0; i < 4; i++) {
      const d = Number(pa[i]) - Number(pb[i]);
      if (d !== 0) return d;
    }
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Summarises every scan in the sources, each separately, in order of first appearance. */
export async function summarize(sources: readonly ByteSource[], anomalies: Anomalies, signal?: AbortSignal): Promise<LogSummary> {
  const scans = new Map<string, ScanAccumulator>();
  let current: ScanAccumulator | null = null;
  let currentId = "";
  let loose = 0;
  let open = false;
  let sawFraming = false;
  await scanLines(
    sources,
    anomalies,
    (line) => {
      const name = line.name!;
      if (name === "log_started") {
        sawFraming = true;
        open = true;
        return;
      }
      if (name === "log_ended") {
        open = line.field("reason") === "rotated";
        return;
      }
      const id = line.scanId();
      if (typeof id !== "string") {
        loose++;
        return;
      }
      if (current === null || id !== currentId) {
        current = scans.get(id) ?? null;
        if (current === null) scans.set(id, (current = new ScanAccumulator(id)));
        currentId = id;
      }
      current.add(line, name);
    },
    signal,
  );
  return { scans: [...scans.values()].map((s) => s.finish()), events: loose, complete: !(sawFraming && open) };
}

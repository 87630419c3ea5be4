import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { compareHosts } from "./host-order.ts";
import { scanLines } from "./scan-lines.ts";
import { escapeControls } from "../printable.ts";

/**
 * How a log's scans ended: all with ScanCompleted, one with ScanCancelled, one
 * without either (cut short), or no event at all (an empty file, not a log).
 */
export type ScanEnding = "completed" | "cancelled" | "cut short" | "no events";

/** What a log says about the network: hosts up, open ports, services. */
interface Snapshot {
  hosts: Set<string>;
  /** "host port/proto" */
  open: Set<string>;
  /** The pairs of `watch` this log has a PortFound for, in any state. */
  probed: Set<string>;
  /** "host port/tcp" -> "SERVICE version" */
  services: Map<string, string>;
  ending: ScanEnding;
  /** The scan ids of the lines compared, in the order they first appear. */
  scans: Set<string>;
}

export interface PortChange {
  host: string;
  port: string;
}

export interface ServiceChange extends PortChange {
  before: string;
  after: string;
}

export interface LogDiff {
  hostsUp: string[];
  hostsDown: string[];
  portsOpened: PortChange[];
  /** Open in A, and B has a PortFound for it in another state. */
  portsClosed: PortChange[];
  servicesChanged: ServiceChange[];
  /** Open in A, and B never probed it (cancelled, cut short, a narrower -p, or the host down): no news about it. */
  notScanned: PortChange[];
  ended: { a: ScanEnding; b: ScanEnding };
  /**
   * The scans each side's comparison is made of, in log order. More than one (a
   * daily log, a rerun appended) were compared as one state: a port's last one wins.
   */
  scans: { a: string[]; b: string[] };
}

/** Which lines of a side count, by their scan id: `--scan-id` picks one scan of a log holding several. */
export type ScanKeep = (scanId: string | null) => boolean;

/** The log's state; `watch` names the pairs whose probing (in any state) is recorded. */
async function snapshot(sources: readonly ByteSource[], anomalies: Anomalies, watch: ReadonlySet<string>, keep?: ScanKeep): Promise<Snapshot> {
  const snap: Snapshot = { hosts: new Set(), open: new Set(), probed: new Set(), services: new Map(), ending: "completed", scans: new Set() };
  let started = 0;
  let completed = 0;
  let cancelled = false;
  let events = 0;
  // A scan's lines come in runs, and scanId() hands back the same string for a run: one Set.add per run.
  let lastId: string | null = null;
  await scanLines(sources, anomalies, (line) => {
    const id = line.scanId();
    if (keep !== undefined && !keep(id)) return;
    if (id !== null && id !== lastId) snap.scans.add((lastId = id));
    events++;
    switch (line.name) {
      case "ScanStarted":
        started++;
        return;
      case "ScanCompleted":
        completed++;
        return;
      case "ScanCancelled":
        cancelled = true;
        return;
      case "HostDiscovered": {
        const ip = line.field("ip");
        if (typeof ip === "string") snap.hosts.add(ip);
        return;
      }
      case "PortFound":
      case "IPv6PortFound": {
        const host = String(line.field("target"));
        const key = `${host} ${line.field("port")}/${String(line.field("protocol")).toLowerCase()}`;
        // Only the pairs the other side had open: every probed port of a -p- scan would be millions of keys.
        if (watch.has(key)) snap.probed.add(key);
        // The latest state of a port wins: a later Closed undoes an earlier Open.
        const state = line.field("state");
        if (state === "Open") snap.open.add(key);
        else snap.open.delete(key);
        // An open port or a reset answered: the host is up, even if no HostDiscovered says so (-Pn).
        if (state === "Open" || state === "Closed") snap.hosts.add(host);
        return;
      }
      case "ServiceDetected": {
        const version = line.field("version");
        const key = `${line.field("target")} ${line.field("port")}/tcp`;
        snap.services.set(key, `${line.field("service")}${typeof version === "string" ? " " + version : ""}`);
        return;
      }
    }
  });
  snap.ending = cancelled ? "cancelled" : events === 0 ? "no events" : completed === 0 || completed < started ? "cut short" : "completed";
  return snap;
}

function split(key: string): PortChange {
  const [host, port] = key.split(" ") as [string, string];
  return { host, port };
}

function byHostPort(a: PortChange, b: PortChange): number {
  return compareHosts(a.host, b.host) || parseInt(a.port) - parseInt(b.port) || a.port.localeCompare(b.port);
}

/**
 * What changed from scan A to scan B, as ndiff tells it for nmap XML, with one
 * difference: a port open in A is "no longer open" only when B probed it and
 * found it otherwise. ndiff calls a port missing from B gone, which after a
 * Ctrl-C'd or narrower scan B is a false "port closed" alarm; those land in
 * `notScanned`. A port open in B is news whether or not A probed it.
 */
export async function diffLogs(
  a: readonly ByteSource[],
  b: readonly ByteSource[],
  anomalies: Anomalies,
  keep: { a?: ScanKeep; b?: ScanKeep } = {},
): Promise<LogDiff> {
  const before = await snapshot(a, anomalies, new Set(), keep.a);
  const after = await snapshot(b, anomalies, before.open, keep.b);
  const only = <T>(x: Set<T>, y: Set<T>) => [...x].filter((v) => !y.has(v));
  const servicesChanged: ServiceChange[] = [];
  for (const [key, was] of before.services) {
    const now = after.services.get(key);
    if (now !== undefined && now !== was) servicesChanged.push({ ...split(key), before: was, after: now });
  }
  const gone = only(before.open, after.open);
  return {
    hostsUp: only(after.hosts, before.hosts).sort(compareHosts),
    hostsDown: only(before.hosts, after.hosts).sort(compareHosts),
    portsOpened: only(after.open, before.open).map(split).sort(byHostPort),
    portsClosed: gone.filter((k) => after.probed.has(k)).map(split).sort(byHostPort),
    servicesChanged: servicesChanged.sort(byHostPort),
    notScanned: gone.filter((k) => !after.probed.has(k)).map(split).sort(byHostPort),
    ended: { a: before.ending, b: after.ending },
    scans: { a: [...before.scans], b: [...after.scans] },
  };
}

/** The diff on stdout; with `verbose`, the ports B never probed too, marked `?`. */
export function renderDiff(d: LogDiff, json: boolean, verbose = false): string {
  if (json) return JSON.stringify(d, null, 2) + "\n";
  const lines: string[] = [];
  for (const h of d.hostsUp) lines.push(`+${h} is up`);
  for (const h of d.hostsDown) lines.push(`-${h} is down`);
  for (const p of d.portsOpened) lines.push(`+${p.host} ${p.port} open`);
  for (const p of d.portsClosed) lines.push(`-${p.host} ${p.port} no longer open`);
  for (const s of d.servicesChanged) lines.push(` ${s.host} ${s.port} ${s.before} -> ${s.after}`);
  if (verbose) for (const p of d.notScanned) lines.push(`?${p.host} ${p.port} open in A, not scanned in B`);
  return lines.length === 0 ? "no differences\n" : lines.map(escapeControls).join("\n") + "\n";
}

/**
 * `id` cut to its first 8 characters (a UUID's first block, what users copy), longer
 * where another of `all` starts the same: a prefix --scan-id takes as this scan.
 */
function shortId(id: string, all: readonly string[]): string {
  let n = Math.min(8, id.length);
  while (n < id.length && all.some((other) => other !== id && other.startsWith(id.slice(0, n)))) n++;
  return id.slice(0, n);
}

/** The scans' short ids, at most 5 of them: a log of hourly scans would fill the terminal. */
function fewIds(ids: readonly string[]): string {
  const shown = ids.length <= 5 ? ids : [ids[0]!, ids[1]!, ids[ids.length - 2]!, ids[ids.length - 1]!];
  const short = shown.map((id) => shortId(id, ids));
  if (shown.length < ids.length) short.splice(2, 0, `... ${ids.length - 4} more`);
  return short.join(", ");
}

/**
 * The stderr notes a diff needs: a side holding several scans compared as one,
 * a side that did not finish its scan, and the open ports B never probed.
 */
export function diffNotes(d: LogDiff, names: { a: string; b: string }, verbose: boolean): string[] {
  const notes: string[] = [];
  for (const side of ["a", "b"] as const) {
    const scans = d.scans[side];
    if (scans.length > 1) {
      // Kept, not refused: a nightly log holding a rerun diffs as the latest state of each port, as before; this says so.
      const ids = fewIds(scans);
      notes.push(
        `${side.toUpperCase()} ${JSON.stringify(names[side])} holds ${scans.length} scans (${ids}), compared merged (each port's last state); ` +
          "--scan-id A-ID --scan-id B-ID picks one scan per side",
      );
    }
    const ending = d.ended[side];
    if (ending === "completed") continue;
    if (ending === "no events") {
      // Not a scan that found nothing: the other side's every host and port is shown as a change only because this side is empty.
      const what = side === "a" ? "every host and port of B shows as new" : "no port of A is called closed";
      notes.push(`${side.toUpperCase()} ${JSON.stringify(names[side])} holds no events (not an event log?): ${what}`);
      continue;
    }
    const how = ending === "cancelled" ? "ended with ScanCancelled" : "has no ScanCompleted (cut short?)";
    const what = side === "a" ? "a port it did not reach shows as opened if B found it open" : "a port it did not reach is not called closed";
    notes.push(`${side.toUpperCase()} ${JSON.stringify(names[side])} ${how}: ${what}`);
  }
  const n = d.notScanned.length;
  if (n > 0) {
    const list = verbose ? "listed with ?" : "-v lists them";
    notes.push(`${n} ${n === 1 ? "port" : "ports"} open in A ${n === 1 ? "was" : "were"} not scanned in B, so not called closed (${list})`);
  }
  return notes.map(escapeControls);
}

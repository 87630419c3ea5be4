import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { compareHosts } from "./summary.ts";
import { scanLines } from "./scan-lines.ts";
import { escapeControls } from "../printable.ts";

/** What a log says about the network: hosts up, open ports, services. */
interface Snapshot {
  hosts: Set<string>;
  /** "host port/proto" */
  open: Set<string>;
  /** "host port/tcp" -> "SERVICE version" */
  services: Map<string, string>;
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
  portsClosed: PortChange[];
  servicesChanged: ServiceChange[];
}

async function snapshot(sources: readonly ByteSource[], anomalies: Anomalies): Promise<Snapshot> {
  const snap: Snapshot = { hosts: new Set(), open: new Set(), services: new Map() };
  await scanLines(sources, anomalies, (line) => {
    switch (line.name) {
      case "HostDiscovered": {
        const ip = line.field("ip");
        if (typeof ip === "string") snap.hosts.add(ip);
        return;
      }
      case "PortFound":
      case "IPv6PortFound": {
        const host = String(line.field("target"));
        const key = `${host} ${line.field("port")}/${String(line.field("protocol")).toLowerCase()}`;
        // The latest state of a port wins: a later Closed undoes an earlier Open.
        if (line.field("state") === "Open") {
          snap.open.add(key);
          snap.hosts.add(host);
        } else snap.open.delete(key);
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
  return snap;
}

function split(key: string): PortChange {
  const [host, port] = key.split(" ") as [string, string];
  return { host, port };
}

function byHostPort(a: PortChange, b: PortChange): number {
  return compareHosts(a.host, b.host) || parseInt(a.port) - parseInt(b.port) || a.port.localeCompare(b.port);
}

/** What changed from scan A to scan B, as ndiff tells it for nmap XML. */
export async function diffLogs(
  a: readonly ByteSource[],
  b: readonly ByteSource[],
  anomalies: Anomalies,
): Promise<LogDiff> {
  const before = await snapshot(a, anomalies);
  const after = await snapshot(b, anomalies);
  const only = <T>(x: Set<T>, y: Set<T>) => [...x].filter((v) => !y.has(v));
  const servicesChanged: ServiceChange[] = [];
  for (const [key, was] of before.services) {
    const now = after.services.get(key);
    if (now !== undefined && now !== was) servicesChanged.push({ ...split(key), before: was, after: now });
  }
  return {
    hostsUp: only(after.hosts, before.hosts).sort(compareHosts),
    hostsDown: only(before.hosts, after.hosts).sort(compareHosts),
    portsOpened: only(after.open, before.open).map(split).sort(byHostPort),
    portsClosed: only(before.open, after.open).map(split).sort(byHostPort),
    servicesChanged: servicesChanged.sort(byHostPort),
  };
}

export function renderDiff(d: LogDiff, json: boolean): string {
  if (json) return JSON.stringify(d, null, 2) + "\n";
  const lines: string[] = [];
  for (const h of d.hostsUp) lines.push(`+${h} is up`);
  for (const h of d.hostsDown) lines.push(`-${h} is down`);
  for (const p of d.portsOpened) lines.push(`+${p.host} ${p.port} open`);
  for (const p of d.portsClosed) lines.push(`-${p.host} ${p.port} no longer open`);
  for (const s of d.servicesChanged) lines.push(` ${s.host} ${s.port} ${s.before} -> ${s.after}`);
  return lines.length === 0 ? "no differences\n" : lines.map(escapeControls).join("\n") + "\n";
}

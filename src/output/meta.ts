// What every writer knows about the scan besides its events.

import type { PortFields, ServiceDetected } from "../events/index.ts";
import type { PortNamer } from "../scan/index.ts";

export interface TextSink {
  write(text: string): void;
}

export interface OutputMeta {
  version: string;
  /** The command line as typed, for headers ("as: prtip -sT ..."). */
  commandLine: string;
  scanType: "connect" | "syn" | "udp";
  protocol: "tcp" | "udp";
  ports: readonly number[];
  /** -sS/-sT with -sU: the UDP ports scanned after `ports` (TCP) in the same scan; XML gets a second <scaninfo>. */
  udpPorts?: readonly number[];
  verbosity: number;
  /** -sV ran: the VERSION column is shown and unconfirmed service names end in "?", as nmap's. */
  serviceScan?: boolean;
  /** --reason: the REASON column and "Host is up, received …" (-vv shows them too). */
  reason?: boolean;
  /** -q: the terminal gets the results only, without the "Starting" header and "done" footer. */
  quiet?: boolean;
  /** --open: only open (and possibly open) ports are listed, and only hosts that have some. */
  openOnly?: boolean;
  /**
   * The names given as targets, by the address each resolved to; filled in while
   * the scan resolves them, before any result. Events carry addresses only.
   */
  hostnames?: ReadonlyMap<string, string>;
  /** The protocol of each ServiceDetected event, noted by its detector (a combined scan has two). */
  serviceProtocols?: WeakMap<ServiceDetected, PortFields["protocol"]>;
  /**
   * Names the ports no probe identified. Absent: prtip's own table alone; a scan
   * passes one that falls back on nmap's services file (src/cli/service-names.ts).
   */
  portName?: PortNamer;
}

/** 1-1024,8080 from a sorted port list. */
export function portRanges(ports: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ports.length; ) {
    let j = i;
    while (j + 1 < ports.length && ports[j + 1] === ports[j]! + 1) j++;
    parts.push(i === j ? `${ports[i]}` : `${ports[i]}-${ports[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/**
 * ctime(3)-style UTC text, as nmap writes in -oN, -oG and XML headers: "Sun Nov 29 19:29:35 2026",
 * the day of month padded with a space as ctime pads it ("Sun Dec  6 09:51:18 2026").
 */
export function ctime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** "2026-11-29 19:29 UTC". */
export function shortTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

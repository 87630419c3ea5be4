import { invalid } from "../errors.ts";
import { portsNamed, topPorts } from "./port-rank.ts";

/** -F scans this many of the top ports. */
export const FAST_PORTS = 100;
/** With no port option, this many of the top ports (nmap's habit). */
export const DEFAULT_TOP_PORTS = 1000;

const RANGE = /^(\d*)-(\d*)$/;
const SINGLE = /^\d+$/;
/** nmap's protocol prefixes: `T:` and `U:` apply to the ports after them until the next prefix. */
const PREFIX = /^([A-Za-z]+):/;

/** A service name or nmap's wildcard mask of one (`http`, `ms-sql-*`): not all digits, no spaces. */
const NAME = /^[A-Za-z0-9_.*?-]*[A-Za-z_*?][A-Za-z0-9_.*?-]*$/;

function bound(text: string, item: string, what = "port range"): number {
  const n = Number(text);
  if (/^0+$/.test(text)) throw invalid(what, item, "prtip scans ports 1-65535 (port 0 is reserved and never listened on)");
  if (!/^\d{1,5}$/.test(text) || n < 1 || n > 65535) throw invalid(what, item, "ports are 1-65535");
  return n;
}

/** Where an item's ports go: both protocols' lists before any prefix, one of them after T: or U:. */
interface Destination {
  tcp: Uint8Array | null;
  udp: Uint8Array | null;
  /** Ports a list named again (`80,80`, `1-100,50`), whatever the protocol: nmap warns of them. */
  again: Uint8Array;
}

/** Marks `lo`..`hi` in one protocol's list, noting the ports already there. */
function fillNoting(list: Uint8Array | null, lo: number, hi: number, again: Uint8Array): void {
  if (list === null) return;
  for (let p = lo; p <= hi; p++) {
    if (list[p]) again[p] = 1;
    list[p] = 1;
  }
}

/** Marks one item's ports (`22`, `1-1000`, `-100`, `60000-`, or a service name) in its destination. */
function mark(item: string, to: Destination): void {
  let lo: number;
  let hi: number;
  const r = RANGE.exec(item);
  if (r) {
    lo = r[1] === "" ? 1 : bound(r[1]!, item);
    hi = r[2] === "" ? 65535 : bound(r[2]!, item);
    if (hi < lo) throw invalid("port range", item, "the end comes before the start");
  } else if (SINGLE.test(item)) {
    lo = hi = bound(item, item, "port");
  } else if (NAME.test(item)) {
    markNamed(item, to);
    return;
  } else {
    throw invalid("port", item, "expected a number, a range like 1-1000, a list like 22,80, or a service name like http");
  }
  fillNoting(to.tcp, lo, hi, to.again);
  fillNoting(to.udp, lo, hi, to.again);
}

/** A name stands for every port prtip's tables give that name, per protocol (nmap's -p http is 80 and 8008). */
function markNamed(name: string, to: Destination): void {
  const tcp = to.tcp ? portsNamed(name, "Tcp") : [];
  const udp = to.udp ? portsNamed(name, "Udp") : [];
  if (tcp.length + udp.length === 0) {
    const which = to.tcp && to.udp ? "" : to.tcp ? "TCP " : "UDP ";
    throw invalid("port", name, `no ${which}service of that name in prtip's port names`);
  }
  for (const p of tcp) fillNoting(to.tcp, p, p, to.again);
  for (const p of udp) fillNoting(to.udp, p, p, to.again);
}

function sorted(seen: Uint8Array): number[] {
  const out: number[] = [];
  for (let p = 1; p <= 65535; p++) if (seen[p]) out.push(p);
  return out;
}

/**
 * A port list split by nmap's prefixes: the ports before any prefix (for TCP and for
 * UDP: a service name can stand for different ports of each), then the `T:` and `U:` ports.
 */
export interface PrefixedPorts {
  plain: { tcp: number[]; udp: number[] };
  tcp: number[];
  udp: number[];
  /** Ports named twice under one protocol (`80,80`, `1-100,50`), sorted: scanned once, but nmap warns. */
  again: number[];
}

/**
 * `22,80,1-1000`, open-ended `-100` and `60000-`, service names (`http`, `ssh`,
 * `http*`) and nmap's protocol prefixes (`U:53,111,T:21-25,80`: a prefix holds
 * until the next one). Each list sorted and de-duplicated; bad items name
 * themselves (`"70000-80"`, `"X:80"`, `"U:"`, `"htp"`).
 */
export function parsePrefixedPorts(spec: string): PrefixedPorts {
  const lists = { plainTcp: new Uint8Array(65536), plainUdp: new Uint8Array(65536), tcp: new Uint8Array(65536), udp: new Uint8Array(65536) };
  const again = new Uint8Array(65536);
  let current: Destination = { tcp: lists.plainTcp, udp: lists.plainUdp, again };
  for (const raw of spec.split(",")) {
    let item = raw.trim();
    const prefix = PREFIX.exec(item);
    if (prefix) {
      const letter = prefix[1]!.toUpperCase();
      if (letter !== "T" && letter !== "U") throw invalid("port protocol", item, "expected T: (TCP) or U: (UDP) before the ports");
      current = letter === "T" ? { tcp: lists.tcp, udp: null, again } : { tcp: null, udp: lists.udp, again };
      item = item.slice(prefix[0].length).trim();
      if (item === "") throw invalid("port list", spec, `no ports after ${letter}:`);
    }
    if (item === "") throw invalid("port list", spec, "empty item");
    mark(item, current);
  }
  // 80,T:80 names TCP 80 twice too: the plain list and the T: list merge into one.
  for (let p = 1; p <= 65535; p++) if ((lists.plainTcp[p] && lists.tcp[p]) || (lists.plainUdp[p] && lists.udp[p])) again[p] = 1;
  return {
    plain: { tcp: sorted(lists.plainTcp), udp: sorted(lists.plainUdp) },
    tcp: sorted(lists.tcp),
    udp: sorted(lists.udp),
    again: sorted(again),
  };
}

/** Every port a list names, whatever its protocol prefix (the config file's check, and single-protocol callers). */
export function parsePorts(spec: string): number[] {
  const { plain, tcp, udp } = parsePrefixedPorts(spec);
  return [...new Set([...plain.tcp, ...plain.udp, ...tcp, ...udp])].sort((a, b) => a - b);
}

export interface PortChoice {
  ports?: string;
  topPorts?: number;
  fast?: boolean;
}

/** Which protocols the scan probes: -sS/-sT (TCP), -sU (UDP), or both. */
export interface ScannedProtocols {
  tcp: boolean;
  udp: boolean;
}

/** The ports of each protocol scanned ([] for one not scanned), and a prefix whose ports no scan takes. */
export interface PortLists {
  tcp: number[];
  udp: number[];
  /** "U" for `U:` ports in a TCP-only scan, "T" for `T:` ports in a UDP-only scan: nmap ignores them with a warning. */
  ignored: "T" | "U" | null;
  /** Ports -p named more than once (`80,80`), each scanned once. */
  again: number[];
}

function merge(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/**
 * The ports a scan probes per protocol, from -p / --top-ports / -F (one of them),
 * default the top 1000. Ports without a prefix go to every protocol scanned.
 * --top-ports N and -F take each protocol's N from its own ranking (udp-rank.ts for UDP).
 */
export function choosePortLists(c: PortChoice, scanned: ScannedProtocols): PortLists {
  const given = [c.ports !== undefined, c.topPorts !== undefined, c.fast === true].filter(Boolean).length;
  if (given > 1) throw invalid("port options", "-p/--top-ports/-F", "choose one of them");
  if (c.ports === undefined) {
    const count = c.topPorts ?? (c.fast ? FAST_PORTS : DEFAULT_TOP_PORTS);
    const top = (protocol: "Tcp" | "Udp") => topPorts(count, protocol).sort((a, b) => a - b);
    return { tcp: scanned.tcp ? top("Tcp") : [], udp: scanned.udp ? top("Udp") : [], ignored: null, again: [] };
  }
  const { plain, tcp, udp, again } = parsePrefixedPorts(c.ports);
  const lists: PortLists = {
    tcp: scanned.tcp ? merge(plain.tcp, tcp) : [],
    udp: scanned.udp ? merge(plain.udp, udp) : [],
    ignored: !scanned.udp && udp.length > 0 ? "U" : !scanned.tcp && tcp.length > 0 ? "T" : null,
    again,
  };
  if (lists.tcp.length === 0 && lists.udp.length === 0) {
    const why = scanned.tcp ? "it names no TCP ports (UDP ones are scanned with -sU)" : "it names no UDP ports (TCP ones are scanned with -sS or -sT)";
    throw invalid("port list", c.ports, why);
  }
  return lists;
}

/** The ports of a single-protocol scan (-p / --top-ports / -F), T:-prefixed ones included. */
export function choosePorts(c: PortChoice): number[] {
  return choosePortLists(c, { tcp: true, udp: false }).tcp;
}

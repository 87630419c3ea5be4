// Interfaces, routes and the neighbour cache as Linux shows them in /proc and
// /sys. Paths and the address list come in as arguments so tests use fixtures.
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { formatIp, parseIp, parseMac } from "./address.ts";

export interface NetPaths {
  route: string;
  ipv6Route: string;
  arp: string;
  sysClassNet: string;
  ipv4Conf: string;
}

export const LINUX_NET_PATHS: NetPaths = {
  route: "/proc/net/route",
  ipv6Route: "/proc/net/ipv6_route",
  arp: "/proc/net/arp",
  sysClassNet: "/sys/class/net",
  ipv4Conf: "/proc/sys/net/ipv4/conf",
};

export interface InterfaceAddress {
  address: string;
  family: 4 | 6;
  prefix: number;
}

/** Addresses per interface name, as `os.networkInterfaces()` reports them. */
export type AddressSource = () => Record<string, InterfaceAddress[]>;

export const osAddresses: AddressSource = () => {
  const out: Record<string, InterfaceAddress[]> = {};
  for (const [name, list] of Object.entries(networkInterfaces())) {
    out[name] = (list ?? []).map((a) => ({
      address: a.address,
      family: a.family === "IPv6" ? 6 : 4,
      prefix: a.cidr ? Number(a.cidr.split("/")[1]) : a.family === "IPv6" ? 128 : 32,
    }));
  }
  return out;
};

export interface Route {
  iface: string;
  family: 4 | 6;
  destination: Uint8Array;
  prefix: number;
  /** Next hop, or null when the destination is on the link. */
  gateway: string | null;
  metric: number;
}

/** /proc/net/route stores addresses as little-endian hex words. */
function hexLE(hex: string): Uint8Array {
  const n = parseInt(hex, 16);
  return Uint8Array.from([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24]);
}

const prefixOf = (mask: Uint8Array) => mask.reduce((n, b) => n + (b.toString(2).match(/1/g)?.length ?? 0), 0);

export function parseRoutes(ipv4Text: string, ipv6Text: string): Route[] {
  const routes: Route[] = [];
  for (const line of ipv4Text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const flags = parseInt(f[3]!, 16);
    if (!(flags & 1)) continue; // RTF_UP
    const gw = hexLE(f[2]!);
    routes.push({
      iface: f[0]!,
      family: 4,
      destination: hexLE(f[1]!),
      prefix: prefixOf(hexLE(f[7]!)),
      gateway: flags & 2 && gw.some((b) => b !== 0) ? formatIp(gw) : null,
      metric: Number(f[6]),
    });
  }
  for (const line of ipv6Text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const flags = parseInt(f[8]!, 16);
    if (!(flags & 1) || flags & 0x200) continue; // up, not RTF_REJECT
    const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
    const gw = hex(f[4]!);
    routes.push({
      iface: f[9]!,
      family: 6,
      destination: hex(f[0]!),
      prefix: parseInt(f[1]!, 16),
      gateway: gw.some((b) => b !== 0) ? formatIp(gw) : null,
      metric: parseInt(f[5]!, 16),
    });
  }
  return routes;
}

export function inPrefix(addr: Uint8Array, net: Uint8Array, prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const bits = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((addr[bit / 8]! & mask) !== (net[bit / 8]! & mask)) return false;
  }
  return true;
}

export interface RouteChoice {
  iface: string;
  source: string;
  /** The address to resolve on the link: the gateway or the target itself. */
  nextHop: string;
  gateway: string | null;
  loopback: boolean;
}

export interface NetSystem {
  paths: NetPaths;
  addresses: AddressSource;
  read?: (path: string) => string;
}

const readText = (sys: NetSystem, path: string): string => {
  try {
    return (sys.read ?? ((p: string) => readFileSync(p, "utf8")))(path);
  } catch {
    return "";
  }
};

/**
 * The same system read once: each file and the address list are read on first
 * use and kept. A scan prepares every target host with several reads of
 * /proc and /sys (routes, MACs, the ARP cache); across a /24 that was a
 * quarter of a second of re-reading the same text.
 */
export function snapshotNetSystem(sys: NetSystem): NetSystem {
  const texts = new Map<string, string>();
  let addresses: ReturnType<AddressSource> | null = null;
  const read = sys.read ?? ((p: string) => readFileSync(p, "utf8"));
  return {
    paths: sys.paths,
    addresses: () => (addresses ??= sys.addresses()),
    read(path) {
      let text = texts.get(path);
      if (text === undefined) {
        text = read(path);
        texts.set(path, text);
      }
      return text;
    },
  };
}

let parsedRoutes: { v4: string; v6: string; routes: Route[] } | null = null;

/** parseRoutes, remembering the last texts parsed (a snapshot hands back the same ones). */
function routesOf(v4: string, v6: string): Route[] {
  if (parsedRoutes?.v4 !== v4 || parsedRoutes.v6 !== v6) parsedRoutes = { v4, v6, routes: parseRoutes(v4, v6) };
  return parsedRoutes.routes;
}

/** Where a packet to `target` leaves and with which source address; null when there is no route. */
export function routeTo(target: string, sys: NetSystem): RouteChoice | null {
  const dst = parseIp(target);
  if (!dst) return null;
  const family = dst.length === 16 ? 6 : 4;
  const addresses = sys.addresses();
  // Local and loopback destinations go through the loopback device (the local table, not in /proc/net/route).
  const own = Object.entries(addresses).find(([, list]) => list.some((a) => a.address === target));
  if ((family === 4 && dst[0] === 127) || target === "::1" || own) {
    const lo = Object.entries(addresses).find(([name]) => name === "lo")?.[0] ?? "lo";
    return { iface: lo, source: own ? target : target === "::1" ? "::1" : target, nextHop: target, gateway: null, loopback: true };
  }
  const routes = routesOf(readText(sys, sys.paths.route), readText(sys, sys.paths.ipv6Route))
    .filter((r) => r.family === family && inPrefix(dst, r.destination, r.prefix))
    .sort((a, b) => b.prefix - a.prefix || a.metric - b.metric);
  for (const r of routes) {
    const source = pickSource(addresses[r.iface] ?? [], family, dst);
    if (source) return { iface: r.iface, source, nextHop: r.gateway ?? target, gateway: r.gateway, loopback: r.iface === "lo" };
  }
  return null;
}

function pickSource(list: InterfaceAddress[], family: 4 | 6, dst: Uint8Array): string | null {
  const candidates = list.filter((a) => a.family === family && !(family === 6 && a.address.toLowerCase().startsWith("fe80")));
  const onLink = candidates.find((a) => inPrefix(dst, parseIp(a.address)!, a.prefix));
  return (onLink ?? candidates[0])?.address ?? null;
}

/** The interface's MAC from /sys/class/net/IFACE/address (zeros for loopback). */
export function interfaceMac(iface: string, sys: NetSystem): Uint8Array {
  return parseMac(readText(sys, `${sys.paths.sysClassNet}/${iface}/address`).trim()) ?? new Uint8Array(6);
}

/** A complete entry of the kernel's ARP cache for `ip` on `iface`, or null. */
export function cachedArp(ip: string, iface: string, sys: NetSystem): Uint8Array | null {
  return arpEntries(readText(sys, sys.paths.arp)).get(`${ip}|${iface}`)?.slice() ?? null;
}

let parsedArp: { text: string; entries: Map<string, Uint8Array> } | null = null;

/** Complete entries of an ARP cache text by "ip|iface", remembering the last text parsed. */
function arpEntries(text: string): Map<string, Uint8Array> {
  if (parsedArp?.text === text) return parsedArp.entries;
  const entries = new Map<string, Uint8Array>();
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // Flags 0x2 = ATF_COM: the entry is complete. The first entry for an address wins, as the scan did.
    const mac = f.length >= 6 && parseInt(f[2]!, 16) & 2 ? parseMac(f[3]!) : null;
    const key = `${f[0]}|${f[5]}`;
    if (mac && !entries.has(key)) entries.set(key, mac);
  }
  parsedArp = { text, entries };
  return entries;
}

/**
 * Linux drops frames injected on `lo` with a 127/8 source as martians unless
 * lo has route_localnet and accept_local set; true when both are on.
 */
export function loopbackInjectionAllowed(sys: NetSystem): boolean {
  const on = (name: string) => readText(sys, `${sys.paths.ipv4Conf}/lo/${name}`).trim() === "1";
  return on("route_localnet") && on("accept_local");
}

// Per-target sending state: route, link, next-hop MAC and a ready framer.
// Next hops missing from the kernel's cache are resolved with ARP/NDP on the
// wire; the answers arrive through the technique's one receive loop.
import {
  buildArpRequest,
  buildSolicitation,
  cachedArp,
  formatIp,
  interfaceMac,
  LINKTYPE,
  loopbackInjectionAllowed,
  parseIp,
  routeTo,
  snapshotNetSystem,
  type NetSystem,
} from "../../net/index.ts";
import { SynFramer, type SynOptionSet } from "./framer.ts";
import type { LinkOpener, PacketLink } from "./link.ts";

/** Hosts found by their index in the scan's list at most (a /12); larger lists are found by text. */
const INDEXED_HOSTS = 1 << 20;

export interface HostState {
  /** Canonical text of the address. */
  key: string;
  addr: Uint8Array;
  source: Uint8Array;
  /** IPv4 addresses as numbers, for cookies without byte loops; -1 for IPv6. */
  addrV4: number;
  sourceV4: number;
  link: PacketLink | null;
  framer: SynFramer | null;
  status: "resolving" | "ready" | "unreachable";
  why: string;
  /** A reply from it matched one of our probes: its silence on other ports may be loss, worth every retry. */
  answered: boolean;
}

interface NeighborQuery {
  link: PacketLink;
  request: Uint8Array;
  attempts: number;
  deadline: number;
  waiting: HostState[];
  srcMac: Uint8Array;
}

export interface HostTableOptions {
  net: NetSystem;
  openLink: LinkOpener;
  filter: string;
  resolveWaitMs: number;
  resolveAttempts: number;
  synOptions: SynOptionSet;
}

export class HostTable {
  readonly #hosts = new Map<string, HostState>();
  /** IPv4 hosts by address as a number: replies are matched without building strings. */
  readonly #byText = new Map<string, HostState>();
  /** By index in the scan's host list; kept dense (filled, never sparse) up to INDEXED_HOSTS. */
  #byIndex: (HostState | undefined)[] = [];
  readonly #links = new Map<string, PacketLink>();
  readonly #queries = new Map<string, NeighborQuery>();
  /** Hosts whose next hop just resolved or failed; the technique drains it. */
  readonly settled: HostState[] = [];
  /** Problems worth one warning each; the technique forwards them. */
  readonly warnings: { message: string; code: string }[] = [];
  #warnedLoopback = false;
  readonly opts: HostTableOptions;

  constructor(opts: HostTableOptions) {
    // One look at routes, addresses, MACs and the ARP cache per scan, not one per target host.
    this.opts = { ...opts, net: snapshotNetSystem(opts.net) };
  }

  get links(): Iterable<PacketLink> {
    return this.#links.values();
  }

  get resolving(): number {
    return this.#queries.size;
  }

  /** A host that cannot be probed at all (its text is no IP address). */
  static invalid(text: string): HostState {
    return { key: text, addr: new Uint8Array(4), source: new Uint8Array(4), addrV4: 0, sourceV4: 0, link: null, framer: null, status: "unreachable", why: `"${text}" is not an IP address`, answered: false };
  }

  /**
   * The host a probe names, by its text as given (parsed once per distinct
   * text), found by its index in the scan's host list when the probe has one
   * (an array read instead of hashing the text, once per probe).
   */
  forProbe(text: string, now: number, index?: number): HostState {
    const indexed = index !== undefined && index < INDEXED_HOSTS;
    if (indexed) {
      const known = this.#byIndex[index];
      if (known !== undefined) return known;
    }
    let host = this.#byText.get(text);
    if (!host) {
      const key = HostTable.keyOf(text);
      host = key ? this.prepare(key, now) : HostTable.invalid(text);
      this.#byText.set(text, host);
    }
    if (indexed) {
      if (index >= this.#byIndex.length) {
        const grown = new Array<HostState | undefined>(Math.min(INDEXED_HOSTS, 2 ** Math.ceil(Math.log2(index + 1)))).fill(undefined);
        for (let i = 0; i < this.#byIndex.length; i++) grown[i] = this.#byIndex[i];
        this.#byIndex = grown;
      }
      this.#byIndex[index] = host;
    }
    return host;
  }

  /** Canonical key of a probe's host, or null for text that is no IP address. */
  static keyOf(host: string): string | null {
    const bytes = parseIp(host);
    return bytes ? formatIp(bytes) : null;
  }

  get(key: string): HostState | undefined {
    return this.#hosts.get(key);
  }

  /** Looks the host up, preparing it on first sight. */
  prepare(key: string, now: number): HostState {
    const known = this.#hosts.get(key);
    if (known) return known;
    const addr = parseIp(key)!;
    const host: HostState = { key, addr, source: new Uint8Array(addr.length), addrV4: addr.length === 4 ? v4Key(addr, 0) : -1, sourceV4: -1, link: null, framer: null, status: "unreachable", why: "", answered: false };
    this.#hosts.set(key, host);
    const route = routeTo(key, this.opts.net);
    if (!route) {
      host.why = `no route to ${key}`;
      this.warnings.push({ code: "no-route", message: host.why });
      return host;
    }
    host.source = parseIp(route.source)!;
    host.sourceV4 = host.source.length === 4 ? v4Key(host.source, 0) : -1;
    const link = this.#link(route.iface);
    host.link = link;
    const srcMac = interfaceMac(route.iface, this.opts.net);
    if (route.loopback && addr.length === 4 && addr[0] === 127 && !this.#warnedLoopback && !loopbackInjectionAllowed(this.opts.net)) {
      this.#warnedLoopback = true;
      this.warnings.push({
        code: "loopback-martian",
        message: "Linux drops SYN probes injected on lo from 127.0.0.0/8, so their ports will read filtered: set net.ipv4.conf.lo.route_localnet=1 and net.ipv4.conf.lo.accept_local=1, or scan 127.0.0.0/8 on its own (prtip then uses connect)",
      });
    }
    if (route.loopback || link.linkType !== LINKTYPE.ethernet || srcMac.every((b) => b === 0)) {
      return this.#ready(host, link, srcMac, new Uint8Array(6));
    }
    const cached = addr.length === 4 ? cachedArp(route.nextHop, route.iface, this.opts.net) : null;
    if (cached) return this.#ready(host, link, srcMac, cached);
    host.status = "resolving";
    const query = this.#queries.get(route.nextHop);
    if (query) query.waiting.push(host);
    else {
      const hop = parseIp(route.nextHop)!;
      const request = hop.length === 4 ? buildArpRequest(srcMac, host.source, hop) : buildSolicitation(LINKTYPE.ethernet, srcMac, host.source, hop);
      link.send(request);
      this.#queries.set(route.nextHop, { link, request, attempts: 1, deadline: now + this.opts.resolveWaitMs, waiting: [host], srcMac });
    }
    return host;
  }

  /** An ARP reply or neighbour advertisement came in. */
  answered(ip: string, mac: Uint8Array): void {
    const query = this.#queries.get(ip);
    if (!query) return;
    this.#queries.delete(ip);
    for (const host of query.waiting) this.settled.push(this.#ready(host, query.link, query.srcMac, mac.slice()));
  }

  /** Re-asks unanswered next hops; gives up after the last attempt. */
  tick(now: number): void {
    for (const [ip, q] of this.#queries) {
      if (now < q.deadline) continue;
      if (q.attempts < this.opts.resolveAttempts) {
        q.attempts++;
        q.deadline = now + this.opts.resolveWaitMs;
        q.link.send(q.request);
        continue;
      }
      this.#queries.delete(ip);
      this.warnings.push({ code: "neighbor-unresolved", message: `no ${ip.includes(":") ? "NDP" : "ARP"} answer from ${ip}: its hosts are reported filtered` });
      for (const host of q.waiting) {
        host.status = "unreachable";
        host.why = `no ${host.addr.length === 4 ? "ARP" : "NDP"} answer from ${ip}`;
        this.settled.push(host);
      }
    }
  }

  close(): void {
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
  }

  #link(iface: string): PacketLink {
    let link = this.#links.get(iface);
    if (!link) {
      link = this.opts.openLink(iface);
      link.setFilter(this.opts.filter);
      this.#links.set(iface, link);
    }
    return link;
  }

  #ready(host: HostState, link: PacketLink, srcMac: Uint8Array, dstMac: Uint8Array): HostState {
    host.framer = new SynFramer({ linkType: link.linkType, srcMac, dstMac, src: host.source, dst: host.addr }, this.opts.synOptions);
    host.status = "ready";
    return host;
  }
}

const v4Key = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

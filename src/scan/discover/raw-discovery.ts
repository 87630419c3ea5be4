// Privileged host discovery with hand-made packets, as nmap does as root:
// hosts on the local segment are asked by ARP (IPv4) or NDP (IPv6) only —
// a neighbour answer proves the host even if it filters everything else;
// other hosts get an ICMP/ICMPv6 echo request, a SYN to 443 and an ACK to 80,
// and any valid answer (echo reply, SYN-ACK, RST) proves them.
import {
  ARP_OP,
  buildArpRequest,
  buildSolicitation,
  bytesEqual,
  cachedArp,
  decodeFrame,
  formatIp,
  interfaceMac,
  LINKTYPE,
  parseIp,
  RejectCounter,
  resolveNeighbor,
  routeTo,
  TCP_FLAG,
  type Decoded,
  type NetSystem,
  type TcpSegment,
  type Waiter,
} from "../../net/index.ts";
import type { DiscoveryMethod } from "../../events/index.ts";
import type { DiscoveryContext, HostDiscovery } from "../discovery.ts";
import type { LinkOpener, PacketLink } from "../syn/link.ts";
import { decodeEchoReply, echoRequest, tcpProbe, type Endpoints } from "./frames.ts";

export interface RawDiscoveryOptions {
  openLink: LinkOpener;
  net: NetSystem;
  waiter: Waiter;
  /** Fresh random bytes per scan (≥ 8): the echo id, our source port and sequence numbers. */
  secret: Uint8Array;
  /** Hosts asked at once. */
  window?: number;
  /**
   * For targets routed through lo (127/8, ::1, our own addresses): frames
   * injected there from 127/8 are dropped as martians unless lo allows them,
   * and a connect answers either way.
   */
  loopback?: HostDiscovery;
}

/** Counters kept for tests and debugging. */
export interface DiscoveryCounters {
  sent: number;
  /** Answers that looked like ours but failed a check (id, seq, ports, ack). */
  unsolicited: number;
}

interface Pending {
  text: string;
  key: string;
  addr: Uint8Array;
  link: PacketLink;
  /** "ARP"/"NDP" for a neighbour on our segment, null for echo + TCP probes. */
  neighbor: "ARP" | "NDP" | null;
  frames: Uint8Array[];
  endpoints: Endpoints | null;
  echoSeq: number;
  tcpSeq: number;
  attempts: number;
  sentAt: number;
}

export const SYN_PORT = 443;
/** At most this many resends per host whatever --max-retries says (its default of 10 is for ports): nmap resends pings about as often. */
export const RETRY_CAP = 2;
export const ACK_PORT = 80;

export class RawDiscovery implements HostDiscovery {
  readonly counters: DiscoveryCounters = { sent: 0, unsolicited: 0 };
  readonly rejects = new RejectCounter();
  readonly #o: RawDiscoveryOptions;
  readonly #links = new Map<string, PacketLink>();
  readonly #gateways = new Map<string, Promise<Uint8Array | null>>();
  readonly #pending = new Map<string, Pending>();
  readonly #echoId: number;
  readonly #sourcePort: number;
  #nextSeq: number;

  constructor(options: RawDiscoveryOptions) {
    this.#o = options;
    const s = options.secret;
    this.#echoId = ((s[0]! << 8) | s[1]!) & 0xffff;
    // Outside the SYN technique's range (40000 + k·64, 1024 wide), so late discovery answers never look like scan replies.
    this.#sourcePort = 33000 + (((s[2]! << 8) | s[3]!) % 4000);
    this.#nextSeq = ((s[4]! << 24) | (s[5]! << 16) | (s[6]! << 8) | s[7]!) >>> 0;
  }

  /** The BPF filter discovery puts on its links. */
  get filter(): string {
    return `arp or icmp or icmp6 or (tcp and dst port ${this.#sourcePort})`;
  }

  async discover(hosts: Iterable<string>, ctx: DiscoveryContext): Promise<void> {
    const { waiter } = this.#o;
    const window = this.#o.window ?? 256;
    const source = hosts[Symbol.iterator]();
    let exhausted = false;
    const local: string[] = [];
    const finish = (p: Pending, method: DiscoveryMethod | null) => {
      this.#pending.delete(p.key);
      if (method) ctx.up(p.text, method, waiter.now() - p.sentAt);
      ctx.done(p.text);
    };
    while (!ctx.signal.aborted) {
      const paused = ctx.checkpoint();
      if (paused) await paused;
      this.#pump(finish);
      const now = waiter.now();
      for (const p of [...this.#pending.values()]) {
        if (now - p.sentAt < ctx.timeoutMs) continue;
        if (p.attempts > Math.min(ctx.maxRetries, RETRY_CAP)) finish(p, null);
        else await this.#send(p, ctx);
      }
      while (this.#pending.size < window && !exhausted && !ctx.signal.aborted) {
        const next = source.next();
        if (next.done) exhausted = true;
        else await this.#admit(next.value, ctx, local);
      }
      if (exhausted && this.#pending.size === 0) break;
      await waiter.sleep(1);
    }
    if (local.length > 0 && !ctx.signal.aborted) await this.#o.loopback!.discover(local, ctx);
  }

  /** Prepares a host's probes and sends the first round; a host that cannot be probed is done at once. */
  async #admit(text: string, ctx: DiscoveryContext, local: string[]): Promise<void> {
    const addr = parseIp(text);
    const route = addr ? routeTo(text, this.#o.net) : null;
    if (!addr || !route) return ctx.done(text);
    if (route.loopback && this.#o.loopback) return void local.push(text);
    const key = formatIp(addr);
    if (this.#pending.has(key)) return ctx.done(text);
    const link = this.#link(route.iface);
    const source = parseIp(route.source)!;
    const srcMac = interfaceMac(route.iface, this.#o.net);
    const ethernet = link.linkType === LINKTYPE.ethernet && !route.loopback && srcMac.some((b) => b !== 0);
    const p: Pending = { text, key, addr, link, neighbor: null, frames: [], endpoints: null, echoSeq: 0, tcpSeq: 0, attempts: 0, sentAt: 0 };
    if (ethernet && route.gateway === null) {
      p.neighbor = addr.length === 4 ? "ARP" : "NDP";
      p.frames = [addr.length === 4 ? buildArpRequest(srcMac, source, addr) : buildSolicitation(LINKTYPE.ethernet, srcMac, source, addr)];
    } else {
      const dstMac = ethernet ? await this.#gatewayMac(link, route.nextHop, route.iface, route.source, srcMac, ctx) : new Uint8Array(6);
      if (!dstMac) return ctx.done(text);
      p.endpoints = { linkType: link.linkType, srcMac, dstMac, src: source, dst: addr };
      p.echoSeq = this.#nextSeq & 0xffff;
      p.tcpSeq = this.#nextSeq;
      this.#nextSeq = (Math.imul(this.#nextSeq, 1664525) + 1013904223) >>> 0;
      p.frames = [
        echoRequest(p.endpoints, this.#echoId, p.echoSeq),
        tcpProbe(p.endpoints, TCP_FLAG.syn, this.#sourcePort, SYN_PORT, p.tcpSeq),
        tcpProbe(p.endpoints, TCP_FLAG.ack, this.#sourcePort, ACK_PORT, p.tcpSeq),
      ];
    }
    this.#pending.set(key, p);
    await this.#send(p, ctx);
  }

  async #send(p: Pending, ctx: DiscoveryContext): Promise<void> {
    p.attempts++;
    for (const [i, frame] of p.frames.entries()) {
      // Every frame, a retry's too: a pause may have begun while the router was asked
      // or an earlier frame waited for the rate cap, and an unthrottled send never waits.
      const paused = ctx.checkpoint();
      if (paused) await paused;
      const wait = ctx.pacer.acquire(1);
      if (wait) await wait;
      if (ctx.signal.aborted || !this.#pending.has(p.key)) return;
      // The timeout runs from the round's first frame on the wire, not from a pause or the cap's wait.
      if (i === 0) p.sentAt = this.#o.waiter.now();
      p.link.send(frame);
      this.counters.sent++;
    }
  }

  /** The router's MAC, resolved once per scan (kernel cache first, then on the wire). */
  #gatewayMac(link: PacketLink, hop: string, iface: string, source: string, srcMac: Uint8Array, ctx: DiscoveryContext): Promise<Uint8Array | null> {
    let known = this.#gateways.get(hop);
    if (!known) {
      const cached = hop.includes(":") ? null : cachedArp(hop, iface, this.#o.net);
      known = cached
        ? Promise.resolve(cached)
        : resolveNeighbor(
            link,
            hop,
            { srcMac, source, attempts: Math.min(ctx.maxRetries, RETRY_CAP) + 1, waitMs: Math.min(ctx.timeoutMs, 1000), beforeSend: ctx.checkpoint, signal: ctx.signal },
            this.#o.waiter,
          );
      this.#gateways.set(hop, known);
    }
    return known;
  }

  #link(iface: string): PacketLink {
    let link = this.#links.get(iface);
    if (!link) {
      link = this.#o.openLink(iface);
      link.setFilter(this.filter);
      this.#links.set(iface, link);
    }
    return link;
  }

  #pump(finish: (p: Pending, method: DiscoveryMethod | null) => void): void {
    for (const link of this.#links.values()) {
      const linkType = link.linkType;
      const sink = (frame: Uint8Array, length: number) => {
        const echo = decodeEchoReply(frame, length, linkType, this.rejects);
        if (echo) {
          const p = this.#pending.get(formatIp(echo.src));
          if (p?.endpoints && echo.id === this.#echoId && echo.seq === p.echoSeq) finish(p, "ICMP");
          else this.counters.unsolicited++;
          return;
        }
        const d = decodeFrame(frame, length, linkType, this.rejects);
        if (d) this.#onFrame(d, finish);
      };
      while (link.receive(256, sink) === 256);
    }
  }

  #onFrame(d: Decoded, finish: (p: Pending, method: DiscoveryMethod | null) => void): void {
    if (d.kind === "arp") {
      if (d.arp.op !== ARP_OP.reply) return;
      const p = this.#pending.get(formatIp(d.arp.senderIp));
      if (p?.neighbor === "ARP") finish(p, "ARP");
    } else if (d.kind === "ndp") {
      const p = this.#pending.get(d.target);
      if (p?.neighbor === "NDP") finish(p, "NDP");
    } else if (d.kind === "tcp") this.#onTcp(d, finish);
  }

  #onTcp(d: TcpSegment, finish: (p: Pending, method: DiscoveryMethod | null) => void): void {
    const t = d.tcp;
    if (t.dstPort !== this.#sourcePort) return;
    const p = this.#pending.get(d.src);
    const e = p?.endpoints;
    if (!p || !e || !bytesEqual(d.dstBytes, 0, e.src, 0, e.src.length)) return void this.counters.unsolicited++;
    const expectedAck = (p.tcpSeq + 1) >>> 0;
    const synAck = (t.flags & (TCP_FLAG.syn | TCP_FLAG.ack)) === (TCP_FLAG.syn | TCP_FLAG.ack);
    // 443 answers our SYN (SYN-ACK or RST-ACK, acking seq + 1); 80 answers our ACK with a RST whose seq is our ack.
    const fromSyn = t.srcPort === SYN_PORT && (synAck || t.flags & TCP_FLAG.rst) && t.ack === expectedAck;
    const fromAck = t.srcPort === ACK_PORT && t.flags & TCP_FLAG.rst && t.seq === p.tcpSeq;
    if (!fromSyn && !fromAck) return void this.counters.unsolicited++;
    if (synAck) p.link.send(tcpProbe(e, TCP_FLAG.rst, this.#sourcePort, SYN_PORT, expectedAck));
    finish(p, "TCP");
  }
}

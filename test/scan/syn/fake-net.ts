// A simulated segment for the SYN technique: answers ARP/NDP and SYNs the way
// the hosts in `behaviour` would, records what the scanner sent, and runs on
// a virtual clock (sleep advances time at once).
import {
  buildTcpFrame,
  checksum,
  decodeFrame,
  ETHERNET_HEADER,
  formatIp,
  IPV4_HEADER,
  LINKTYPE,
  parseIp,
  RejectCounter,
  TCP_FLAG,
  writeIcmpv6Checksum,
  writeIPv4,
  writeIPv6,
  writeLink,
  ETHERTYPE,
  IPV6_HEADER,
  type NetSystem,
  type Waiter,
} from "../../../src/net/index.ts";
import type { FrameBatch, PacketLink } from "../../../src/scan/syn/index.ts";

export type Behaviour = "open" | "closed" | "drop" | "icmp";
export const SCANNER_MAC = Uint8Array.from([2, 0, 0, 0, 0, 1]);
export const TARGET_MAC = Uint8Array.from([2, 0, 0, 0, 0, 2]);

export const fakeSystem: NetSystem = {
  paths: { route: "/route", ipv6Route: "/route6", arp: "/arp", sysClassNet: "/sys", ipv4Conf: "/conf" },
  addresses: () => ({ veth0: [{ address: "198.18.0.1", family: 4, prefix: 24 }, { address: "2001:db8::1", family: 6, prefix: 64 }] }),
  read: (path) =>
    ({
      "/route": "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nveth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF",
      "/route6": "20010db8000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 veth0",
      "/arp": "IP address HW type Flags HW address Mask Device",
      "/sys/veth0/address": "02:00:00:00:00:01",
    })[path] ?? "",
};

export class VirtualWaiter implements Waiter {
  time = 0;
  now = () => this.time;
  sleep = async (ms: number) => {
    this.time += ms;
  };
}

export interface FakeNetOptions {
  /** host → port → behaviour; ports not listed answer RST (closed). */
  hosts: Record<string, Record<number, Behaviour>>;
  /** Hosts that never answer ARP/NDP. */
  silent?: string[];
  /** Drops the first N SYNs to these "host|port" keys. */
  loseFirst?: Record<string, number>;
  /** "host|port" keys whose every reply arrives twice, as a retransmitting target sends it. */
  twice?: string[];
  /** "host|port" keys answered only once the second SYN went out, and then with the answer to the first. */
  lateFirst?: string[];
  /** Offer batched sends of this many frames per flush. */
  batch?: number;
  /** Offer receiveAt: frames as offsets into one shared buffer, as ffi's FrameReader hands them. */
  sharedBuffer?: boolean;
}

/** Frames queued in slots and handed to the net on flush, as ffi/batch.ts does with sendmmsg. */
export class FakeBatch implements FrameBatch {
  readonly slotSize = 128;
  readonly #slots: Uint8Array[];
  readonly #lengths: number[] = [];
  /** Sizes of the flushes that sent something. */
  readonly flushes: number[] = [];

  constructor(
    readonly capacity: number,
    private readonly deliver: (frame: Uint8Array) => void,
  ) {
    this.#slots = Array.from({ length: capacity }, () => new Uint8Array(128));
  }

  get queued(): number {
    return this.#lengths.length;
  }

  next(): Uint8Array {
    return this.#slots[this.#lengths.length]!;
  }

  commit(length: number): void {
    this.#lengths.push(length);
    if (this.#lengths.length === this.capacity) this.flush();
  }

  flush(): void {
    if (this.#lengths.length === 0) return;
    this.flushes.push(this.#lengths.length);
    const frames = this.#lengths.map((n, i) => this.#slots[i]!.slice(0, n));
    this.#lengths.length = 0;
    for (const f of frames) this.deliver(f);
  }
}

export class FakeNet implements PacketLink {
  readonly linkType = LINKTYPE.ethernet;
  readonly syns = new Map<string, number>();
  readonly rsts: string[] = [];
  readonly filters: string[] = [];
  arpRequests = 0;
  closed = false;
  #queue: Uint8Array[] = [];
  readonly #late = new Map<string, { src: Uint8Array; dst: Uint8Array; srcPort: number; dstPort: number; ack: number }>();
  #rejects = new RejectCounter();
  readonly batch?: FakeBatch;

  constructor(readonly o: FakeNetOptions) {
    if (o.batch) this.batch = new FakeBatch(o.batch, (frame) => this.send(frame));
    if (o.sharedBuffer) this.receiveAt = (max, sink) => this.#receiveAt(max, sink);
  }

  /** Queue a frame as if it arrived from the wire. */
  arrive(frame: Uint8Array): void {
    this.#queue.push(frame);
  }

  send(frame: Uint8Array): void {
    const d = decodeFrame(frame, frame.length, this.linkType, this.#rejects);
    if (d?.kind === "arp") {
      this.arpRequests++;
      const ip = formatIp(d.arp.targetIp);
      if (this.o.hosts[ip] && !this.o.silent?.includes(ip)) this.arrive(arpReply(d.arp.targetIp, d.arp.senderIp));
      return;
    }
    if (d?.kind === "tcp" && d.tcp.flags === TCP_FLAG.rst) {
      this.rsts.push(`${d.dst}|${d.tcp.dstPort}`);
      return;
    }
    if (d?.kind !== "tcp" && frame[ETHERNET_HEADER + 6] === 58) {
      // Neighbour solicitation: answer for the target address it carries.
      const target = frame.subarray(ETHERNET_HEADER + IPV6_HEADER + 8, ETHERNET_HEADER + IPV6_HEADER + 24);
      const ip = formatIp(target);
      if (this.o.hosts[ip] && !this.o.silent?.includes(ip)) this.arrive(neighborAdvert(target));
      return;
    }
    if (d?.kind !== "tcp" || d.tcp.flags !== TCP_FLAG.syn) return;
    const key = `${d.dst}|${d.tcp.dstPort}`;
    const n = (this.syns.get(key) ?? 0) + 1;
    this.syns.set(key, n);
    if (n <= (this.o.loseFirst?.[key] ?? 0)) return;
    const behaviour = this.o.hosts[d.dst]?.[d.tcp.dstPort] ?? "closed";
    const reply = { src: d.dstBytes.slice(), dst: d.srcBytes.slice(), srcPort: d.tcp.dstPort, dstPort: d.tcp.srcPort, ack: (d.tcp.seq + 1) >>> 0 };
    if (this.o.lateFirst?.includes(key)) {
      if (n === 1) this.#late.set(key, { ...reply });
      if (n !== 2) return;
      Object.assign(reply, this.#late.get(key));
    }
    for (let copies = this.o.twice?.includes(key) ? 2 : 1; copies > 0; copies--) {
      if (behaviour === "open") this.arrive(tcpReply(reply, TCP_FLAG.syn | TCP_FLAG.ack));
      if (behaviour === "closed") this.arrive(tcpReply(reply, TCP_FLAG.rst | TCP_FLAG.ack));
      if (behaviour === "icmp" && d.family === 4) this.arrive(icmpUnreachable(frame, reply.src, reply.dst));
    }
  }

  receiveAt?: (max: number, sink: (buf: Uint8Array, offset: number, length: number) => void) => number;

  #receiveAt(max: number, sink: (buf: Uint8Array, offset: number, length: number) => void): number {
    const batch = this.#queue.splice(0, max);
    // Odd offsets and junk around each frame: nothing may be read outside [offset, offset + length).
    const buf = new Uint8Array(batch.reduce((n, f) => n + f.length + 3, 3)).fill(0xa5);
    let at = 3;
    const spans: [number, number][] = [];
    for (const f of batch) {
      buf.set(f, at);
      spans.push([at, f.length]);
      at += f.length + 3;
    }
    for (const [offset, length] of spans) sink(buf, offset, length);
    return batch.length;
  }

  receive(max: number, sink: (frame: Uint8Array, length: number) => void): number {
    const batch = this.#queue.splice(0, max);
    for (const f of batch) sink(f, f.length);
    return batch.length;
  }

  setFilter(expression: string): void {
    this.filters.push(expression);
  }

  stats() {
    return { received: 42, dropped: 1, ifDropped: 0 };
  }

  close(): void {
    this.closed = true;
  }
}

interface Reply {
  src: Uint8Array;
  dst: Uint8Array;
  srcPort: number;
  dstPort: number;
  ack: number;
  seq?: number;
}

/** A Linux-looking SYN-ACK (MSS, SACK, timestamps, NOP, window scale) or a RST. */
export function tcpReply(r: Reply, flags: number): Uint8Array {
  const synAck = flags & TCP_FLAG.syn;
  const options = synAck ? Uint8Array.from([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7]) : undefined;
  return buildTcpFrame({
    linkType: LINKTYPE.ethernet,
    srcMac: TARGET_MAC,
    dstMac: SCANNER_MAC,
    src: r.src,
    dst: r.dst,
    srcPort: r.srcPort,
    dstPort: r.dstPort,
    seq: r.seq ?? 1000,
    ack: r.ack,
    flags,
    window: synAck ? 64240 : 0,
    ttl: 64,
    options,
  });
}

function icmpUnreachable(probe: Uint8Array, from: Uint8Array, to: Uint8Array): Uint8Array {
  const quote = probe.subarray(ETHERNET_HEADER, ETHERNET_HEADER + IPV4_HEADER + 8);
  const f = new Uint8Array(ETHERNET_HEADER + IPV4_HEADER + 8 + quote.length);
  writeLink(f, LINKTYPE.ethernet, SCANNER_MAC, TARGET_MAC, ETHERTYPE.ipv4);
  const at = writeIPv4(f, ETHERNET_HEADER, { src: from, dst: to, protocol: 1, payloadLength: 8 + quote.length });
  f[at] = 3;
  f[at + 1] = 3;
  f.set(quote, at + 8);
  const sum = checksum(f, at, f.length);
  f[at + 2] = sum >> 8;
  f[at + 3] = sum & 0xff;
  return f;
}

function arpReply(senderIp: Uint8Array, targetIp: Uint8Array): Uint8Array {
  const f = new Uint8Array(ETHERNET_HEADER + 28);
  writeLink(f, LINKTYPE.ethernet, SCANNER_MAC, TARGET_MAC, ETHERTYPE.arp);
  f.set([0, 1, 8, 0, 6, 4, 0, 2], ETHERNET_HEADER);
  f.set(TARGET_MAC, ETHERNET_HEADER + 8);
  f.set(senderIp, ETHERNET_HEADER + 14);
  f.set(SCANNER_MAC, ETHERNET_HEADER + 18);
  f.set(targetIp, ETHERNET_HEADER + 24);
  return f;
}

function neighborAdvert(target: Uint8Array): Uint8Array {
  const f = new Uint8Array(ETHERNET_HEADER + IPV6_HEADER + 32);
  writeLink(f, LINKTYPE.ethernet, SCANNER_MAC, TARGET_MAC, ETHERTYPE.ipv6);
  const scanner = parseIp("2001:db8::1")!;
  const at = writeIPv6(f, ETHERNET_HEADER, { src: target, dst: scanner, protocol: 58, payloadLength: 32, hopLimit: 255 });
  f[at] = 136;
  f[at + 4] = 0x60; // solicited, override
  f.set(target, at + 8);
  f[at + 24] = 2;
  f[at + 25] = 1;
  f.set(TARGET_MAC, at + 26);
  writeIcmpv6Checksum(f, at, at + 32, target, scanner);
  return f;
}

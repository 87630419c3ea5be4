// Whole frames: what a scanner sends (a TCP segment in IP in a link header)
// and what it needs to know about what comes back.
import { formatIp } from "./address.ts";
import { parseArp, type ArpPacket } from "./arp.ts";
import { ETHERTYPE, linkHeaderLength, parseLink, writeLink } from "./ethernet.ts";
import { ICMP_PROTOCOL, ICMP_TYPE, parseIcmp } from "./icmp.ts";
import { ICMPV6_PROTOCOL, ICMPV6_TYPE, parseIcmpv6 } from "./icmpv6.ts";
import { IPV4_HEADER, parseIPv4, writeIPv4 } from "./ipv4.ts";
import { IPV6_HEADER, parseIPv6, writeIPv6 } from "./ipv6.ts";
import type { RejectCounter } from "./rejects.ts";
import { parseTcp, TCP_HEADER, TCP_PROTOCOL, writeTcp, type TcpFields, type TcpHeader } from "./tcp.ts";

export interface TcpFrameSpec extends TcpFields {
  linkType: number;
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  /** 4 bytes for IPv4, 16 for IPv6. */
  src: Uint8Array;
  dst: Uint8Array;
  ttl?: number;
  id?: number;
}

export function buildTcpFrame(s: TcpFrameSpec): Uint8Array {
  const v6 = s.src.length === 16;
  const tcpLength = TCP_HEADER + (s.options?.length ?? 0);
  const link = linkHeaderLength(s.linkType);
  const frame = new Uint8Array(link + (v6 ? IPV6_HEADER : IPV4_HEADER) + tcpLength);
  writeLink(frame, s.linkType, s.dstMac, s.srcMac, v6 ? ETHERTYPE.ipv6 : ETHERTYPE.ipv4);
  const l4 = v6
    ? writeIPv6(frame, link, { src: s.src, dst: s.dst, protocol: TCP_PROTOCOL, payloadLength: tcpLength, hopLimit: s.ttl })
    : writeIPv4(frame, link, { src: s.src, dst: s.dst, protocol: TCP_PROTOCOL, payloadLength: tcpLength, ttl: s.ttl, id: s.id });
  writeTcp(frame, l4, s, s.src, s.dst);
  return frame;
}

/** A TCP segment addressed to us. Byte fields view the captured frame: copy to keep. */
export interface TcpSegment {
  kind: "tcp";
  family: 4 | 6;
  src: string;
  dst: string;
  srcBytes: Uint8Array;
  dstBytes: Uint8Array;
  ttl: number;
  tcp: TcpHeader;
}

/** An ICMP/ICMPv6 error quoting a TCP or UDP datagram we sent. */
export interface IcmpError {
  kind: "icmp-error";
  family: 4 | 6;
  /** Who sent the error (the target or a router on the way). */
  reporter: string;
  type: number;
  code: number;
  unreachable: boolean;
  protocol: number;
  /** The quoted datagram: our source, its destination, ports, sequence number. */
  quotedSrcBytes: Uint8Array;
  quotedDstBytes: Uint8Array;
  quotedDst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
}

export interface ArpReply {
  kind: "arp";
  arp: ArpPacket;
}

export interface NeighborAdvert {
  kind: "ndp";
  target: string;
  mac: Uint8Array | null;
}

export type Decoded = TcpSegment | IcmpError | ArpReply | NeighborAdvert;

/** Null for anything malformed (counted in `rejects`) or of no interest to a scanner. */
export function decodeFrame(buf: Uint8Array, length: number, linkType: number, rejects: RejectCounter): Decoded | null {
  const end = Math.min(length, buf.length);
  const link = parseLink(buf, end, linkType, rejects);
  if (!link) return null;
  if (link.etherType === ETHERTYPE.arp) {
    const arp = parseArp(buf, link.payload, end, rejects);
    return arp ? { kind: "arp", arp } : null;
  }
  if (link.etherType === ETHERTYPE.ipv4) {
    const ip = parseIPv4(buf, link.payload, end, rejects);
    if (!ip || ip.laterFragment) return null;
    const srcBytes = buf.subarray(ip.src, ip.src + 4);
    const dstBytes = buf.subarray(ip.dst, ip.dst + 4);
    if (ip.protocol === TCP_PROTOCOL) {
      const tcp = parseTcp(buf, ip.payload, ip.end, rejects);
      if (!tcp) return null;
      return { kind: "tcp", family: 4, src: formatIp(srcBytes), dst: formatIp(dstBytes), srcBytes, dstBytes, ttl: ip.ttl, tcp };
    }
    if (ip.protocol === ICMP_PROTOCOL) {
      const icmp = parseIcmp(buf, ip.payload, ip.end, rejects);
      if (!icmp?.quoted) return null;
      const q = icmp.quoted;
      return quotedError(buf, 4, formatIp(srcBytes), icmp.type, icmp.code, icmp.type === ICMP_TYPE.unreachable, q.protocol, q.src, q.dst, q.payload, ip.end, rejects);
    }
    return null;
  }
  if (link.etherType === ETHERTYPE.ipv6) {
    const ip = parseIPv6(buf, link.payload, end, rejects);
    if (!ip || ip.laterFragment) return null;
    const srcBytes = buf.subarray(ip.src, ip.src + 16);
    const dstBytes = buf.subarray(ip.dst, ip.dst + 16);
    if (ip.protocol === TCP_PROTOCOL) {
      const tcp = parseTcp(buf, ip.payload, ip.end, rejects);
      if (!tcp) return null;
      return { kind: "tcp", family: 6, src: formatIp(srcBytes), dst: formatIp(dstBytes), srcBytes, dstBytes, ttl: ip.hopLimit, tcp };
    }
    if (ip.protocol === ICMPV6_PROTOCOL) {
      const m = parseIcmpv6(buf, ip.payload, ip.end, rejects);
      if (!m) return null;
      if (m.type === ICMPV6_TYPE.neighborAdvertisement) return { kind: "ndp", target: formatIp(buf, m.target, 16), mac: m.targetMac };
      if (!m.quoted) return null;
      const q = m.quoted;
      return quotedError(buf, 6, formatIp(srcBytes), m.type, m.code, m.type === ICMPV6_TYPE.unreachable, q.protocol, q.src, q.dst, q.payload, ip.end, rejects);
    }
  }
  return null;
}

function quotedError(
  buf: Uint8Array,
  family: 4 | 6,
  reporter: string,
  type: number,
  code: number,
  unreachable: boolean,
  protocol: number,
  qSrc: number,
  qDst: number,
  qPayload: number,
  end: number,
  rejects: RejectCounter,
): IcmpError | null {
  const size = family === 4 ? 4 : 16;
  const t = protocol === TCP_PROTOCOL ? parseTcp(buf, qPayload, end, rejects, true) : null;
  if (protocol === TCP_PROTOCOL && !t) return null;
  const u16 = (o: number) => (buf[o]! << 8) | buf[o + 1]!;
  const quotedDstBytes = buf.subarray(qDst, qDst + size);
  return {
    kind: "icmp-error",
    family,
    reporter,
    type,
    code,
    unreachable,
    protocol,
    quotedSrcBytes: buf.subarray(qSrc, qSrc + size),
    quotedDstBytes,
    quotedDst: formatIp(quotedDstBytes),
    srcPort: t ? t.srcPort : u16(qPayload),
    dstPort: t ? t.dstPort : u16(qPayload + 2),
    seq: t ? t.seq : 0,
  };
}

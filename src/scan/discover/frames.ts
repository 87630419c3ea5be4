// The probes raw discovery sends to one target (echo request, SYN to 443, ACK
// to 80, the RST tearing down a SYN-ACK) and the echo replies it reads back;
// everything else it needs is decoded by net's decodeFrame.
import {
  buildTcpFrame,
  ETHERTYPE,
  ICMP_HEADER,
  ICMP_PROTOCOL,
  ICMP_TYPE,
  ICMPV6_PROTOCOL,
  ICMPV6_TYPE,
  IPV4_HEADER,
  IPV6_HEADER,
  linkHeaderLength,
  parseIPv4,
  parseIPv6,
  parseLink,
  TCP_FLAG,
  writeIcmpEcho,
  writeIcmpv6Checksum,
  writeIPv4,
  writeIPv6,
  writeLink,
  type RejectCounter,
} from "../../net/index.ts";

export interface Endpoints {
  linkType: number;
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  /** 4 bytes for IPv4, 16 for IPv6. */
  src: Uint8Array;
  dst: Uint8Array;
}

const NO_DATA = new Uint8Array(0);

/** ICMP echo request (IPv4) or ICMPv6 echo request (IPv6) carrying `id` and `seq`. */
export function echoRequest(e: Endpoints, id: number, seq: number): Uint8Array {
  const v6 = e.src.length === 16;
  const link = linkHeaderLength(e.linkType);
  const frame = new Uint8Array(link + (v6 ? IPV6_HEADER : IPV4_HEADER) + ICMP_HEADER);
  writeLink(frame, e.linkType, e.dstMac, e.srcMac, v6 ? ETHERTYPE.ipv6 : ETHERTYPE.ipv4);
  if (!v6) {
    const at = writeIPv4(frame, link, { src: e.src, dst: e.dst, protocol: ICMP_PROTOCOL, payloadLength: ICMP_HEADER });
    writeIcmpEcho(frame, at, id, seq, NO_DATA);
    return frame;
  }
  const at = writeIPv6(frame, link, { src: e.src, dst: e.dst, protocol: ICMPV6_PROTOCOL, payloadLength: ICMP_HEADER });
  // Same layout as ICMP echo; only the type and the (pseudo-header) checksum differ.
  writeIcmpEcho(frame, at, id, seq, NO_DATA);
  frame[at] = ICMPV6_TYPE.echoRequest;
  writeIcmpv6Checksum(frame, at, at + ICMP_HEADER, e.src, e.dst);
  return frame;
}

/** A TCP segment without options; `seq` is also the ack number of an ACK probe. */
export function tcpProbe(e: Endpoints, flags: number, srcPort: number, dstPort: number, seq: number): Uint8Array {
  const ack = flags & TCP_FLAG.ack ? seq : 0;
  return buildTcpFrame({ ...e, srcPort, dstPort, seq, ack, flags, window: flags & TCP_FLAG.rst ? 0 : 1024 });
}

export interface EchoReply {
  /** The replying address: a view into the frame. */
  src: Uint8Array;
  id: number;
  seq: number;
}

/** An ICMP or ICMPv6 echo reply, or null for any other frame. */
export function decodeEchoReply(buf: Uint8Array, length: number, linkType: number, rejects: RejectCounter): EchoReply | null {
  const end = Math.min(length, buf.length);
  const link = parseLink(buf, end, linkType, rejects);
  if (!link) return null;
  let src: Uint8Array;
  let at: number;
  let stop: number;
  if (link.etherType === ETHERTYPE.ipv4) {
    const ip = parseIPv4(buf, link.payload, end, rejects);
    if (!ip || ip.laterFragment || ip.protocol !== ICMP_PROTOCOL) return null;
    if (buf[ip.payload] !== ICMP_TYPE.echoReply) return null;
    src = buf.subarray(ip.src, ip.src + 4);
    at = ip.payload;
    stop = ip.end;
  } else if (link.etherType === ETHERTYPE.ipv6) {
    const ip = parseIPv6(buf, link.payload, end, rejects);
    if (!ip || ip.laterFragment || ip.protocol !== ICMPV6_PROTOCOL) return null;
    if (buf[ip.payload] !== ICMPV6_TYPE.echoReply) return null;
    src = buf.subarray(ip.src, ip.src + 16);
    at = ip.payload;
    stop = ip.end;
  } else return null;
  if (stop - at < ICMP_HEADER) return null;
  return { src, id: (buf[at + 4]! << 8) | buf[at + 5]!, seq: (buf[at + 6]! << 8) | buf[at + 7]! };
}

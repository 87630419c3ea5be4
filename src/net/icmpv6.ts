// ICMPv6 (RFC 4443) errors quoting our probes, and neighbour discovery (RFC 4861).
import { finish, pseudoHeaderSum, sumWords } from "./checksum.ts";
import { parseIPv6, type IPv6Header } from "./ipv6.ts";
import { RejectCounter } from "./rejects.ts";

// A bad quote is one reject of the ICMP message, not also one of the quoted header.
const quoteRejects = new RejectCounter();

export const ICMPV6_PROTOCOL = 58;
export const ICMPV6_TYPE = {
  unreachable: 1,
  packetTooBig: 2,
  timeExceeded: 3,
  parameterProblem: 4,
  echoRequest: 128,
  echoReply: 129,
  neighborSolicitation: 135,
  neighborAdvertisement: 136,
} as const;

export interface Icmpv6Message {
  type: number;
  code: number;
  quoted: IPv6Header | null;
  /** Neighbour advertisements: the target address offset and its link-layer address, if given. */
  target: number;
  targetMac: Uint8Array | null;
}

export function parseIcmpv6(buf: Uint8Array, offset: number, end: number, rejects: RejectCounter): Icmpv6Message | null {
  if (end - offset < 8) return rejects.bump("icmpv6-runt");
  const type = buf[offset]!;
  const code = buf[offset + 1]!;
  if (type < 128) {
    const quoted = parseIPv6(buf, offset + 8, end, quoteRejects, true);
    if (!quoted || quoted.payload + 8 > end) return rejects.bump("icmpv6-quote");
    return { type, code, quoted, target: -1, targetMac: null };
  }
  if (type === ICMPV6_TYPE.neighborAdvertisement || type === ICMPV6_TYPE.neighborSolicitation) {
    if (end - offset < 24) return rejects.bump("ndp-runt");
    let targetMac: Uint8Array | null = null;
    for (let at = offset + 24; at + 2 <= end; ) {
      const length = buf[at + 1]! * 8;
      if (length === 0 || at + length > end) return rejects.bump("ndp-runt");
      // Option 2 is the target link-layer address, 1 the source's.
      if (buf[at] === (type === ICMPV6_TYPE.neighborAdvertisement ? 2 : 1) && length >= 8) targetMac = buf.slice(at + 2, at + 8);
      at += length;
    }
    return { type, code, quoted: null, target: offset + 8, targetMac };
  }
  return { type, code, quoted: null, target: -1, targetMac: null };
}

/** ff02::1:ffXX:XXXX, where a neighbour solicitation for `target` goes. */
export function solicitedNodeAddress(target: Uint8Array): Uint8Array {
  const a = new Uint8Array(16);
  a.set([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff]);
  a.set(target.subarray(13, 16), 13);
  return a;
}

/** 33:33 + the last four bytes of an IPv6 multicast address. */
export function multicastMac(group: Uint8Array): Uint8Array {
  return Uint8Array.from([0x33, 0x33, group[12]!, group[13]!, group[14]!, group[15]!]);
}

/** Writes a neighbour solicitation for `target` carrying our link-layer address; returns its end. */
export function writeNeighborSolicitation(
  buf: Uint8Array,
  offset: number,
  target: Uint8Array,
  srcMac: Uint8Array,
  src: Uint8Array,
  dst: Uint8Array,
): number {
  const length = 32;
  buf.fill(0, offset, offset + length);
  buf[offset] = ICMPV6_TYPE.neighborSolicitation;
  buf.set(target, offset + 8);
  buf[offset + 24] = 1;
  buf[offset + 25] = 1;
  buf.set(srcMac, offset + 26);
  writeIcmpv6Checksum(buf, offset, offset + length, src, dst);
  return offset + length;
}

export function writeIcmpv6Checksum(buf: Uint8Array, offset: number, end: number, src: Uint8Array, dst: Uint8Array): void {
  buf[offset + 2] = buf[offset + 3] = 0;
  const sum = finish(sumWords(buf, offset, end, pseudoHeaderSum(src, dst, ICMPV6_PROTOCOL, end - offset)));
  buf[offset + 2] = sum >> 8;
  buf[offset + 3] = sum & 0xff;
}

// The reply a SYN scan sees most: a closed port's RST-ACK, in plain
// Ethernet/IPv4 without IP or TCP options. Read straight from the frame, with
// no decoded objects and no address strings; anything else (malformed frames
// included) is left to decodeFrame, which checks and counts it.
import { TCP_FLAG } from "../../net/index.ts";

/** The fields a RST-ACK is checked with; one instance is reused for every frame. */
export interface PlainRst {
  /** Addresses as numbers (a.b.c.d = a << 24 | ...). */
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
  ack: number;
}

const u32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** Fills `out` from the frame at `b[at, end)` when it is a plain RST-ACK; false leaves it to the full decoder. */
export function readPlainRst(b: Uint8Array, at: number, end: number, out: PlainRst): boolean {
  // Ethernet + IPv4 (IHL 5) + TCP (data offset 5) is 54 bytes.
  if (end - at < 54 || b[at + 12] !== 0x08 || b[at + 13] !== 0x00 || b[at + 14] !== 0x45 || b[at + 23] !== 6 || b[at + 46]! >> 4 !== 5) return false;
  const total = (b[at + 16]! << 8) | b[at + 17]!;
  // The whole datagram captured, and no later fragment.
  if (total < 40 || at + 14 + total > end || ((b[at + 20]! & 0x1f) | b[at + 21]!) !== 0) return false;
  if ((b[at + 47]! & (TCP_FLAG.rst | TCP_FLAG.ack | TCP_FLAG.syn)) !== (TCP_FLAG.rst | TCP_FLAG.ack)) return false;
  out.src = u32(b, at + 26);
  out.dst = u32(b, at + 30);
  out.srcPort = (b[at + 34]! << 8) | b[at + 35]!;
  out.dstPort = (b[at + 36]! << 8) | b[at + 37]!;
  out.ack = u32(b, at + 42);
  return true;
}

// UDP headers (RFC 768).
import { finish, pseudoHeaderSum, sumWords } from "./checksum.ts";
import type { RejectCounter } from "./rejects.ts";

export const UDP_HEADER = 8;
export const UDP_PROTOCOL = 17;

export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  length: number;
  payload: number;
  end: number;
}

export function parseUdp(buf: Uint8Array, offset: number, end: number, rejects: RejectCounter, quoted = false): UdpHeader | null {
  const available = end - offset;
  if (available < UDP_HEADER) return rejects.bump("udp-runt");
  const length = (buf[offset + 4]! << 8) | buf[offset + 5]!;
  if (length < UDP_HEADER || (!quoted && length > available)) return rejects.bump("udp-length");
  return {
    srcPort: (buf[offset]! << 8) | buf[offset + 1]!,
    dstPort: (buf[offset + 2]! << 8) | buf[offset + 3]!,
    length,
    payload: offset + UDP_HEADER,
    end: offset + Math.min(length, available),
  };
}

export function writeUdp(
  buf: Uint8Array,
  offset: number,
  f: { srcPort: number; dstPort: number; payload: Uint8Array },
  src: Uint8Array,
  dst: Uint8Array,
): number {
  const length = UDP_HEADER + f.payload.length;
  buf[offset] = f.srcPort >> 8;
  buf[offset + 1] = f.srcPort & 0xff;
  buf[offset + 2] = f.dstPort >> 8;
  buf[offset + 3] = f.dstPort & 0xff;
  buf[offset + 4] = length >> 8;
  buf[offset + 5] = length & 0xff;
  buf[offset + 6] = buf[offset + 7] = 0;
  buf.set(f.payload, offset + UDP_HEADER);
  // A computed zero is sent as 0xffff: zero means "no checksum" in UDP.
  const sum = finish(sumWords(buf, offset, offset + length, pseudoHeaderSum(src, dst, UDP_PROTOCOL, length))) || 0xffff;
  buf[offset + 6] = sum >> 8;
  buf[offset + 7] = sum & 0xff;
  return offset + length;
}

// IPv4 headers (RFC 791).
import { checksum } from "./checksum.ts";
import type { RejectCounter } from "./rejects.ts";

export const IPV4_HEADER = 20;

export interface IPv4Header {
  headerLength: number;
  totalLength: number;
  ttl: number;
  protocol: number;
  /** Offsets of the 4-byte addresses inside the buffer. */
  src: number;
  dst: number;
  payload: number;
  /** End of this datagram's bytes inside the buffer (never past the capture). */
  end: number;
  /** True for any fragment but the first: no transport header follows. */
  laterFragment: boolean;
}

/**
 * `quoted` is for headers inside ICMP errors, which carry only the first bytes of
 * the datagram: there the total length may run past the capture.
 */
export function parseIPv4(
  buf: Uint8Array,
  offset: number,
  end: number,
  rejects: RejectCounter,
  quoted = false,
): IPv4Header | null {
  const available = end - offset;
  if (available < IPV4_HEADER) return rejects.bump("ipv4-runt");
  const b0 = buf[offset]!;
  if (b0 >> 4 !== 4) return rejects.bump("ipv4-version");
  const headerLength = (b0 & 0x0f) * 4;
  if (headerLength < IPV4_HEADER || headerLength > available) return rejects.bump("ipv4-ihl");
  const totalLength = (buf[offset + 2]! << 8) | buf[offset + 3]!;
  if (totalLength < headerLength || (!quoted && totalLength > available)) return rejects.bump("ipv4-total-length");
  const fragment = ((buf[offset + 6]! & 0x1f) << 8) | buf[offset + 7]!;
  return {
    headerLength,
    totalLength,
    ttl: buf[offset + 8]!,
    protocol: buf[offset + 9]!,
    src: offset + 12,
    dst: offset + 16,
    payload: offset + headerLength,
    end: offset + Math.min(totalLength, available),
    laterFragment: fragment !== 0,
  };
}

export interface IPv4Fields {
  src: Uint8Array;
  dst: Uint8Array;
  protocol: number;
  payloadLength: number;
  ttl?: number;
  id?: number;
}

/** Writes a 20-byte header with its checksum at `offset`; returns where the payload starts. */
export function writeIPv4(buf: Uint8Array, offset: number, f: IPv4Fields): number {
  const total = IPV4_HEADER + f.payloadLength;
  const id = f.id ?? 0;
  buf[offset] = 0x45;
  buf[offset + 1] = 0;
  buf[offset + 2] = total >> 8;
  buf[offset + 3] = total & 0xff;
  buf[offset + 4] = id >> 8;
  buf[offset + 5] = id & 0xff;
  buf[offset + 6] = 0x40; // don't fragment
  buf[offset + 7] = 0;
  buf[offset + 8] = f.ttl ?? 64;
  buf[offset + 9] = f.protocol;
  buf[offset + 10] = buf[offset + 11] = 0;
  buf.set(f.src, offset + 12);
  buf.set(f.dst, offset + 16);
  const sum = checksum(buf, offset, offset + IPV4_HEADER);
  buf[offset + 10] = sum >> 8;
  buf[offset + 11] = sum & 0xff;
  return offset + IPV4_HEADER;
}

export function ipv4ChecksumValid(buf: Uint8Array, h: IPv4Header): boolean {
  return checksum(buf, h.src - 12, h.payload) === 0;
}

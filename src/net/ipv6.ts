// IPv6 headers (RFC 8200) and the extension-header chain up to the transport.
import type { RejectCounter } from "./rejects.ts";

export const IPV6_HEADER = 40;
const MAX_EXTENSIONS = 8;
/** Hop-by-hop, routing, destination options, fragment, AH. */
const EXTENSION = new Set([0, 43, 60, 44, 51]);
export const NO_NEXT_HEADER = 59;

export interface IPv6Header {
  hopLimit: number;
  /** The transport protocol after the extension chain (59 when none). */
  protocol: number;
  src: number;
  dst: number;
  payload: number;
  end: number;
  laterFragment: boolean;
}

export function parseIPv6(
  buf: Uint8Array,
  offset: number,
  end: number,
  rejects: RejectCounter,
  quoted = false,
): IPv6Header | null {
  const available = end - offset;
  if (available < IPV6_HEADER) return rejects.bump("ipv6-runt");
  if (buf[offset]! >> 4 !== 6) return rejects.bump("ipv6-version");
  const payloadLength = (buf[offset + 4]! << 8) | buf[offset + 5]!;
  if (!quoted && IPV6_HEADER + payloadLength > available) return rejects.bump("ipv6-payload-length");
  const stop = offset + Math.min(IPV6_HEADER + payloadLength, available);
  let next = buf[offset + 6]!;
  let at = offset + IPV6_HEADER;
  let laterFragment = false;
  for (let hops = 0; EXTENSION.has(next); hops++) {
    if (hops >= MAX_EXTENSIONS || at + 8 > stop) return rejects.bump("ipv6-extension-chain");
    const length = next === 44 ? 8 : next === 51 ? (buf[at + 1]! + 2) * 4 : (buf[at + 1]! + 1) * 8;
    if (next === 44 && ((buf[at + 2]! << 8) | (buf[at + 3]! & 0xf8)) !== 0) laterFragment = true;
    if (at + length > stop) return rejects.bump("ipv6-extension-chain");
    next = buf[at]!;
    at += length;
  }
  return {
    hopLimit: buf[offset + 7]!,
    protocol: next,
    src: offset + 8,
    dst: offset + 24,
    payload: at,
    end: stop,
    laterFragment,
  };
}

export interface IPv6Fields {
  src: Uint8Array;
  dst: Uint8Array;
  protocol: number;
  payloadLength: number;
  hopLimit?: number;
}

export function writeIPv6(buf: Uint8Array, offset: number, f: IPv6Fields): number {
  buf[offset] = 0x60;
  buf[offset + 1] = buf[offset + 2] = buf[offset + 3] = 0;
  buf[offset + 4] = f.payloadLength >> 8;
  buf[offset + 5] = f.payloadLength & 0xff;
  buf[offset + 6] = f.protocol;
  buf[offset + 7] = f.hopLimit ?? 64;
  buf.set(f.src, offset + 8);
  buf.set(f.dst, offset + 24);
  return offset + IPV6_HEADER;
}

// TCP headers (RFC 9293) and their options.
import { finish, pseudoHeaderSum, sumWords } from "./checksum.ts";
import type { RejectCounter } from "./rejects.ts";

export const TCP_HEADER = 20;
export const TCP_FLAG = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20 } as const;
export const TCP_PROTOCOL = 6;

/** Option kinds as nmap's fingerprints letter them: M S T N W E. */
export type TcpOptionName = "MSS" | "SACK_PERMITTED" | "SACK" | "TIMESTAMP" | "NOP" | "WSCALE" | "EOL" | `KIND${number}`;

export interface TcpOption {
  kind: number;
  name: TcpOptionName;
  /** MSS, window scale shift or TSval; null for options without a single value. */
  value: number | null;
}

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  headerLength: number;
  /** Offset of the options in the buffer (their end is offset + headerLength). */
  start: number;
  payload: number;
}

export function parseTcp(buf: Uint8Array, offset: number, end: number, rejects: RejectCounter, quoted = false): TcpHeader | null {
  const available = end - offset;
  // An ICMP quote holds at least the first 8 bytes: ports and sequence number.
  if (available < (quoted ? 8 : TCP_HEADER)) return rejects.bump("tcp-runt");
  const u16 = (o: number) => (buf[offset + o]! << 8) | buf[offset + o + 1]!;
  const u32 = (o: number) => ((buf[offset + o]! << 24) | (buf[offset + o + 1]! << 16) | u16(o + 2)) >>> 0;
  if (quoted && available < TCP_HEADER) {
    return { srcPort: u16(0), dstPort: u16(2), seq: u32(4), ack: 0, flags: 0, window: 0, headerLength: 0, start: offset, payload: end };
  }
  const headerLength = (buf[offset + 12]! >> 4) * 4;
  if (headerLength < TCP_HEADER) return rejects.bump("tcp-data-offset");
  if (headerLength > available) {
    if (quoted) return { srcPort: u16(0), dstPort: u16(2), seq: u32(4), ack: u32(8), flags: buf[offset + 13]!, window: u16(14), headerLength, start: offset, payload: end };
    return rejects.bump("tcp-data-offset");
  }
  if (!optionsWellFormed(buf, offset + TCP_HEADER, offset + headerLength)) return rejects.bump("tcp-option-length");
  return {
    srcPort: u16(0),
    dstPort: u16(2),
    seq: u32(4),
    ack: u32(8),
    flags: buf[offset + 13]!,
    window: u16(14),
    headerLength,
    start: offset,
    payload: offset + headerLength,
  };
}

function optionsWellFormed(buf: Uint8Array, at: number, end: number): boolean {
  while (at < end) {
    const kind = buf[at]!;
    if (kind === 0) return true;
    if (kind === 1) {
      at++;
      continue;
    }
    if (at + 1 >= end) return false;
    const length = buf[at + 1]!;
    if (length < 2 || at + length > end) return false;
    at += length;
  }
  return true;
}

const NAMES: Record<number, TcpOptionName> = { 0: "EOL", 1: "NOP", 2: "MSS", 3: "WSCALE", 4: "SACK_PERMITTED", 5: "SACK", 8: "TIMESTAMP" };

/** The options of a header `parseTcp` accepted, in wire order. */
export function tcpOptions(buf: Uint8Array, h: TcpHeader): TcpOption[] {
  const out: TcpOption[] = [];
  const end = h.start + h.headerLength;
  for (let at = h.start + TCP_HEADER; at < end; ) {
    const kind = buf[at]!;
    const name = NAMES[kind] ?? (`KIND${kind}` as const);
    if (kind === 0) {
      out.push({ kind, name, value: null });
      break;
    }
    if (kind === 1) {
      out.push({ kind, name, value: null });
      at++;
      continue;
    }
    const length = buf[at + 1]!;
    let value: number | null = null;
    if (kind === 2 && length === 4) value = (buf[at + 2]! << 8) | buf[at + 3]!;
    else if (kind === 3 && length === 3) value = buf[at + 2]!;
    else if (kind === 8 && length === 10) value = ((buf[at + 2]! << 24) | (buf[at + 3]! << 16) | (buf[at + 4]! << 8) | buf[at + 5]!) >>> 0;
    out.push({ kind, name, value });
    at += length;
  }
  return out;
}

export interface TcpFields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  flags: number;
  window?: number;
  /** Already padded to a multiple of 4 bytes. */
  options?: Uint8Array;
}

/** Writes the header (payload-less) with its checksum; `src`/`dst` are 4- or 16-byte addresses. */
export function writeTcp(buf: Uint8Array, offset: number, f: TcpFields, src: Uint8Array, dst: Uint8Array): number {
  const options = f.options ?? new Uint8Array(0);
  const length = TCP_HEADER + options.length;
  const ack = f.ack ?? 0;
  const window = f.window ?? 1024;
  buf[offset] = f.srcPort >> 8;
  buf[offset + 1] = f.srcPort & 0xff;
  buf[offset + 2] = f.dstPort >> 8;
  buf[offset + 3] = f.dstPort & 0xff;
  buf[offset + 4] = f.seq >>> 24;
  buf[offset + 5] = (f.seq >>> 16) & 0xff;
  buf[offset + 6] = (f.seq >>> 8) & 0xff;
  buf[offset + 7] = f.seq & 0xff;
  buf[offset + 8] = ack >>> 24;
  buf[offset + 9] = (ack >>> 16) & 0xff;
  buf[offset + 10] = (ack >>> 8) & 0xff;
  buf[offset + 11] = ack & 0xff;
  buf[offset + 12] = (length / 4) << 4;
  buf[offset + 13] = f.flags;
  buf[offset + 14] = window >> 8;
  buf[offset + 15] = window & 0xff;
  buf[offset + 16] = buf[offset + 17] = buf[offset + 18] = buf[offset + 19] = 0;
  buf.set(options, offset + TCP_HEADER);
  const sum = finish(sumWords(buf, offset, offset + length, pseudoHeaderSum(src, dst, TCP_PROTOCOL, length)));
  buf[offset + 16] = sum >> 8;
  buf[offset + 17] = sum & 0xff;
  return offset + length;
}

/** True when the segment at [offset, end) checks out against its pseudo-header. */
export function tcpChecksumValid(buf: Uint8Array, offset: number, end: number, src: Uint8Array, dst: Uint8Array): boolean {
  return finish(sumWords(buf, offset, end, pseudoHeaderSum(src, dst, TCP_PROTOCOL, end - offset))) === 0;
}

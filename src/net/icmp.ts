// ICMP for IPv4 (RFC 792): errors quoting our probes, and echo.
import { checksum } from "./checksum.ts";
import { parseIPv4, type IPv4Header } from "./ipv4.ts";
import { RejectCounter } from "./rejects.ts";

// A bad quote is one reject of the ICMP message, not also one of the quoted header.
const quoteRejects = new RejectCounter();

export const ICMP_PROTOCOL = 1;
export const ICMP_TYPE = { echoReply: 0, unreachable: 3, echoRequest: 8, timeExceeded: 11 } as const;
export const ICMP_HEADER = 8;

export interface IcmpMessage {
  type: number;
  code: number;
  /** For errors: the quoted datagram's IPv4 header; its transport starts at `quoted.payload`. */
  quoted: IPv4Header | null;
}

const isError = (type: number) => type === ICMP_TYPE.unreachable || type === ICMP_TYPE.timeExceeded || type === 4 || type === 5 || type === 12;

export function parseIcmp(buf: Uint8Array, offset: number, end: number, rejects: RejectCounter): IcmpMessage | null {
  if (end - offset < ICMP_HEADER) return rejects.bump("icmp-runt");
  const type = buf[offset]!;
  const code = buf[offset + 1]!;
  if (!isError(type)) return { type, code, quoted: null };
  const quoted = parseIPv4(buf, offset + ICMP_HEADER, end, quoteRejects, true);
  // RFC 792 promises the quoted header plus 8 bytes of its payload.
  if (!quoted || quoted.payload + 8 > end) return rejects.bump("icmp-quote");
  return { type, code, quoted };
}

export function writeIcmpEcho(buf: Uint8Array, offset: number, id: number, seq: number, data: Uint8Array): number {
  buf[offset] = ICMP_TYPE.echoRequest;
  buf[offset + 1] = 0;
  buf[offset + 2] = buf[offset + 3] = 0;
  buf[offset + 4] = id >> 8;
  buf[offset + 5] = id & 0xff;
  buf[offset + 6] = seq >> 8;
  buf[offset + 7] = seq & 0xff;
  buf.set(data, offset + ICMP_HEADER);
  const end = offset + ICMP_HEADER + data.length;
  const sum = checksum(buf, offset, end);
  buf[offset + 2] = sum >> 8;
  buf[offset + 3] = sum & 0xff;
  return end;
}

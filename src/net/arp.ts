// ARP for IPv4 over Ethernet (RFC 826): requests out, replies in.
import { ETHERNET_HEADER, ETHERTYPE } from "./ethernet.ts";
import type { RejectCounter } from "./rejects.ts";

export const ARP_LENGTH = 28;
export const ARP_OP = { request: 1, reply: 2 } as const;

export interface ArpPacket {
  op: number;
  senderMac: Uint8Array;
  senderIp: Uint8Array;
  targetMac: Uint8Array;
  targetIp: Uint8Array;
}

export function parseArp(buf: Uint8Array, offset: number, end: number, rejects: RejectCounter): ArpPacket | null {
  if (end - offset < ARP_LENGTH) return rejects.bump("arp-runt");
  const htype = (buf[offset]! << 8) | buf[offset + 1]!;
  const ptype = (buf[offset + 2]! << 8) | buf[offset + 3]!;
  if (htype !== 1 || ptype !== ETHERTYPE.ipv4 || buf[offset + 4] !== 6 || buf[offset + 5] !== 4) {
    return rejects.bump("arp-unsupported");
  }
  const at = (o: number, n: number) => buf.slice(offset + o, offset + o + n);
  return {
    op: (buf[offset + 6]! << 8) | buf[offset + 7]!,
    senderMac: at(8, 6),
    senderIp: at(14, 4),
    targetMac: at(18, 6),
    targetIp: at(24, 4),
  };
}

/** A broadcast "who has targetIp" frame. */
export function buildArpRequest(srcMac: Uint8Array, srcIp: Uint8Array, targetIp: Uint8Array): Uint8Array {
  const f = new Uint8Array(ETHERNET_HEADER + ARP_LENGTH);
  f.fill(0xff, 0, 6);
  f.set(srcMac, 6);
  f[12] = 0x08;
  f[13] = 0x06;
  const o = ETHERNET_HEADER;
  f.set([0, 1, 0x08, 0x00, 6, 4, 0, ARP_OP.request], o);
  f.set(srcMac, o + 8);
  f.set(srcIp, o + 14);
  f.set(targetIp, o + 24);
  return f;
}

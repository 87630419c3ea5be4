// Link layers a capture may hand us: Ethernet (also Linux loopback, zero MACs),
// BSD loopback (DLT_NULL) and raw IP.
import type { RejectCounter } from "./rejects.ts";

export const ETHERTYPE = { ipv4: 0x0800, arp: 0x0806, ipv6: 0x86dd, vlan: 0x8100 } as const;
export const LINKTYPE = { null: 0, ethernet: 1, raw: 12 } as const;
export const ETHERNET_HEADER = 14;

export interface LinkFrame {
  /** Offsets of the MACs in the frame, or -1 when the link has none. */
  dstMac: number;
  srcMac: number;
  etherType: number;
  payload: number;
}

export function parseLink(buf: Uint8Array, length: number, linkType: number, rejects: RejectCounter): LinkFrame | null {
  if (linkType === LINKTYPE.ethernet) return parseEthernet(buf, length, rejects);
  if (linkType === LINKTYPE.null) {
    if (length < 4) return rejects.bump("ethernet-runt");
    // The address family in host byte order; 2 is AF_INET, 10/24/28/30 are AF_INET6 across systems.
    const family = buf[0]! | (buf[1]! << 8) | (buf[2]! << 16) | (buf[3]! << 24);
    const etherType = family === 2 ? ETHERTYPE.ipv4 : [10, 24, 28, 30].includes(family) ? ETHERTYPE.ipv6 : 0;
    if (!etherType) return rejects.bump("link-unsupported");
    return { dstMac: -1, srcMac: -1, etherType, payload: 4 };
  }
  if (linkType === LINKTYPE.raw) {
    if (length < 1) return rejects.bump("ethernet-runt");
    const version = buf[0]! >> 4;
    if (version !== 4 && version !== 6) return rejects.bump("link-unsupported");
    return { dstMac: -1, srcMac: -1, etherType: version === 4 ? ETHERTYPE.ipv4 : ETHERTYPE.ipv6, payload: 0 };
  }
  return rejects.bump("link-unsupported");
}

export function parseEthernet(buf: Uint8Array, length: number, rejects: RejectCounter): LinkFrame | null {
  if (length < ETHERNET_HEADER) return rejects.bump("ethernet-runt");
  let etherType = (buf[12]! << 8) | buf[13]!;
  let payload = ETHERNET_HEADER;
  if (etherType === ETHERTYPE.vlan) {
    if (length < ETHERNET_HEADER + 4) return rejects.bump("ethernet-runt");
    etherType = (buf[16]! << 8) | buf[17]!;
    payload += 4;
  }
  return { dstMac: 0, srcMac: 6, etherType, payload };
}

/** Writes the link header for `linkType` and returns where the network header starts. */
export function writeLink(
  buf: Uint8Array,
  linkType: number,
  dstMac: Uint8Array,
  srcMac: Uint8Array,
  etherType: number,
): number {
  if (linkType === LINKTYPE.ethernet) {
    buf.set(dstMac.subarray(0, 6), 0);
    buf.set(srcMac.subarray(0, 6), 6);
    buf[12] = etherType >> 8;
    buf[13] = etherType & 0xff;
    return ETHERNET_HEADER;
  }
  if (linkType === LINKTYPE.null) {
    const family = etherType === ETHERTYPE.ipv4 ? 2 : 10;
    buf[0] = family;
    buf[1] = buf[2] = buf[3] = 0;
    return 4;
  }
  if (linkType === LINKTYPE.raw) return 0;
  throw new RangeError(`unsupported link type ${linkType}`);
}

export function linkHeaderLength(linkType: number): number {
  if (linkType === LINKTYPE.ethernet) return ETHERNET_HEADER;
  if (linkType === LINKTYPE.null) return 4;
  if (linkType === LINKTYPE.raw) return 0;
  throw new RangeError(`unsupported link type ${linkType}`);
}

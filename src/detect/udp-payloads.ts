// UDP payloads the project owns: one well-formed request per protocol, built
// from the RFCs, so a listening service answers (an empty datagram is ignored
// by most). Every reply means Open; the matchers also name the service.
// Strings are latin1: one char per byte.

import type { Matcher } from "./probes.ts";

export interface UdpPayload {
  readonly name: string;
  readonly ports: readonly number[];
  /** Like a TCP probe's: sent to other ports during -sV when rarity <= --version-intensity. */
  readonly rarity: number;
  readonly payload: string;
  readonly matches: readonly Matcher[];
}

const NUL = "\x00";

/** A DNS name in wire form: length-prefixed labels, then the root. */
function dnsName(name: string): string {
  return name.split(".").map((label) => String.fromCharCode(label.length) + label).join("") + NUL;
}

// Query IDs spell "pr".."pt" so replies are recognisably ours.
const dnsVersionBind = "pr" + "\x00\x00" + "\x00\x01\x00\x00\x00\x00\x00\x00" + dnsName("version.bind") + "\x00\x10\x00\x03"; // TXT, CHAOS
const mdnsServices = "ps" + "\x00\x00" + "\x00\x01\x00\x00\x00\x00\x00\x00" + dnsName("_services._dns-sd._udp.local") + "\x00\x0c\x00\x01"; // PTR, IN
// NetBIOS node status (RFC 1002 4.2.17) for the wildcard name "*", first-level encoded.
const netbiosStatus = "pt" + "\x00\x00" + "\x00\x01\x00\x00\x00\x00\x00\x00" + "\x20CK" + "A".repeat(30) + NUL + "\x00\x21\x00\x01";
// NTP v4 client request (RFC 5905): LI=3 (unsynchronised), VN=4, mode 3; the rest zero.
const ntpClient = "\xe3" + NUL.repeat(47);
// SNMPv1 GetRequest, community "public", for sysDescr.0 (1.3.6.1.2.1.1.1.0), BER by hand.
const snmpGetSysDescr =
  "\x30\x29" + "\x02\x01\x00" + "\x04\x06public" + "\xa0\x1c" + "\x02\x04prtp" + "\x02\x01\x00" + "\x02\x01\x00" +
  "\x30\x0e" + "\x30\x0c" + "\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00" + "\x05\x00";
const ssdpSearch =
  'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n';

export const UDP_PAYLOADS: readonly UdpPayload[] = [
  {
    name: "DnsVersionBind",
    rarity: 1,
    ports: [53],
    payload: dnsVersionBind,
    matches: [
      // Answer: compressed name, TXT, CHAOS, TTL and RDLENGTH, then the first character-string.
      { service: "DNS", pattern: /^pr[\x80-\xff][\x00-\xff][\s\S]*?\xc0\x0c\x00\x10\x00\x03[\s\S]{6}[\s\S]([\x20-\x7e]+)/, version: "$1", confidence: 95 },
      { service: "DNS", pattern: /^pr[\x80-\xff]/, confidence: 90 },
    ],
  },
  {
    name: "MdnsServices",
    rarity: 5,
    ports: [5353],
    payload: mdnsServices,
    matches: [{ service: "MDNS", pattern: /^(?:ps|\x00\x00)[\x80-\xff]/, confidence: 90 }],
  },
  {
    name: "NetbiosStatus",
    rarity: 4,
    ports: [137],
    payload: netbiosStatus,
    matches: [{ service: "NETBIOS", pattern: /^pt[\x80-\xff]/, confidence: 90 }],
  },
  {
    name: "NtpClient",
    rarity: 2,
    ports: [123],
    payload: ntpClient,
    // Mode 4 (server) with version 3 or 4, and a full 48-byte header.
    matches: [{ service: "NTP", pattern: /^[\x1c\x5c\x9c\xdc\x24\x64\xa4\xe4][\s\S]{47}/, confidence: 90 }],
  },
  {
    name: "SnmpGetSysDescr",
    rarity: 3,
    ports: [161],
    payload: snmpGetSysDescr,
    matches: [
      { service: "SNMP", pattern: /^\x30[\s\S]{1,3}?\x02\x01\x00\x04[\s\S]*?\x2b\x06\x01\x02\x01\x01\x01\x00\x04[\x01-\x7f]([\x20-\x7e]+)/, version: "$1", confidence: 95 },
      { service: "SNMP", pattern: /^\x30[\s\S]{1,3}?\x02\x01[\x00\x01]\x04[\s\S]*?\xa2/, confidence: 90 },
    ],
  },
  {
    name: "SsdpSearch",
    rarity: 5,
    ports: [1900],
    payload: ssdpSearch,
    matches: [
      { service: "SSDP", pattern: /^HTTP\/1\.1 200 OK\r\n[\s\S]*?\r\nSERVER: *([^\r\n]+)/i, version: "$1", confidence: 95 },
      { service: "SSDP", pattern: /^HTTP\/1\.1 200 OK\r\n/, confidence: 80 },
    ],
  },
];

/** The request to send to a UDP port: its protocol's payload, or null (send an empty datagram). */
export function udpPayloadFor(port: number): UdpPayload | null {
  return UDP_PAYLOADS.find((p) => p.ports.includes(port)) ?? null;
}

/** Payloads -sV tries on an open UDP port: the port's own first, then by rarity up to `intensity`. */
export function udpPayloadsFor(port: number, intensity: number): UdpPayload[] {
  const registered = (p: UdpPayload) => p.ports.includes(port);
  return UDP_PAYLOADS.filter((p) => registered(p) || p.rarity <= intensity).sort(
    (a, b) => Number(registered(b)) - Number(registered(a)) || a.rarity - b.rarity,
  );
}

// Subject, issuer and subject alternative names read from the certificate's DER here:
// node:crypto's X509Certificate renders them differently on Bun (OpenSSL's RFC 4514 escapes,
// control bytes as "\1B", a SAN with odd characters JSON-quoted, IPv6 written out in full) and
// on Deno (raw text, control bytes and all), and the reports must not depend on the runtime.
import { ipv4ToText, ipv6ToText } from "../net/index.ts";
import { escapeControls } from "../printable.ts";

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function tlvAt(der: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new SyntaxError(`Truncated certificate at byte ${at}`);
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new SyntaxError(`Unsupported DER length at byte ${at}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start++]!;
  }
  if (start + length > limit) throw new SyntaxError(`Truncated certificate at byte ${at}`);
  return { tag: der[at]!, start, end: start + length };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1]!.end) out.push(tlvAt(der, at, parent.end));
  return out;
}

function oid(der: Uint8Array, t: Tlv): string {
  const arcs: number[] = [];
  let value = 0;
  for (let i = t.start; i < t.end; i++) {
    value = value * 128 + (der[i]! & 0x7f);
    if (der[i]! & 0x80) continue;
    if (arcs.length === 0) arcs.push(Math.min(2, Math.floor(value / 40)), value - Math.min(2, Math.floor(value / 40)) * 40);
    else arcs.push(value);
    value = 0;
  }
  return arcs.join(".");
}

// OpenSSL's short names, which the reports have always shown; others appear as their OID.
const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "serialNumber", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST",
  "2.5.4.9": "street", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.12": "title", "2.5.4.17": "postalCode",
  "2.5.4.42": "GN", "2.5.4.97": "organizationIdentifier", "1.2.840.113549.1.9.1": "emailAddress",
  "0.9.2342.19200300.100.1.1": "UID", "0.9.2342.19200300.100.1.25": "DC",
};


function stringValue(der: Uint8Array, t: Tlv): string {
  const bytes = der.subarray(t.start, t.end);
  switch (t.tag) {
    case 0x0c: // UTF8String
      return new TextDecoder().decode(bytes);
    case 0x1e: // BMPString, UTF-16BE
      return String.fromCharCode(...Array.from({ length: bytes.length >> 1 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!));
    case 0x1c: // UniversalString, UTF-32BE
      return String.fromCodePoint(...Array.from({ length: bytes.length >> 2 }, (_, i) => new DataView(bytes.buffer, bytes.byteOffset + 4 * i, 4).getUint32(0) % 0x110000));
    case 0x13: case 0x14: case 0x16: case 0x1a: // Printable, T61 (as latin1), IA5, Visible
      return String.fromCharCode(...bytes);
    default: // not a string type: its DER in hex, as RFC 4514 writes it
      return "#" + Array.from(der.subarray(t.start - 2, t.end), (b) => b.toString(16).padStart(2, "0")).join("");
  }
}

/** A Name as `C=DE, O=Lab, CN=x`, in certificate order; a multi-valued RDN joined by `+`. */
function nameText(der: Uint8Array, name: Tlv): string {
  return children(der, name)
    .map((rdn) =>
      children(der, rdn)
        .map((pair) => {
          const [type, value] = children(der, pair);
          if (type === undefined || value === undefined) throw new SyntaxError("Malformed name attribute in certificate");
          const key = oid(der, type);
          return `${SHORT_NAMES[key] ?? key}=${escapeControls(stringValue(der, value))}`;
        })
        .join("+"),
    )
    .join(", ");
}

function generalName(der: Uint8Array, t: Tlv): string | null {
  const bytes = der.subarray(t.start, t.end);
  switch (t.tag) {
    case 0x81: case 0x82: case 0x86: // rfc822Name, dNSName, URI
      return escapeControls(String.fromCharCode(...bytes));
    case 0x87: // iPAddress
      if (bytes.length === 4) return ipv4ToText(((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!);
      if (bytes.length === 16) return ipv6ToText(bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n));
      return null;
    case 0xa4: // directoryName
      return nameText(der, tlvAt(der, t.start, t.end));
    default: // otherName, x400Address, ediPartyName, registeredID: nothing to show
      return null;
  }
}

export interface CertificateNames {
  subject: string;
  issuer: string;
  san: string[];
}

/** Subject, issuer and SANs of a DER certificate. Throws a SyntaxError on bytes that are not one. */
export function certificateNames(der: Uint8Array): CertificateNames {
  const certificate = tlvAt(der, 0, der.length);
  const tbs = children(der, children(der, certificate)[0] ?? certificate);
  const at = tbs[0]?.tag === 0xa0 ? 1 : 0; // [0] version is optional
  const issuer = tbs[at + 2];
  const subject = tbs[at + 4];
  if (issuer === undefined || subject === undefined) throw new SyntaxError("Malformed certificate");
  const san: string[] = [];
  const extensions = tbs.find((t) => t.tag === 0xa3);
  for (const extension of extensions ? children(der, children(der, extensions)[0]!) : []) {
    const parts = children(der, extension);
    if (oid(der, parts[0]!) !== "2.5.29.17") continue;
    const value = parts[parts.length - 1]!; // OCTET STRING holding GeneralNames
    for (const name of children(der, tlvAt(der, value.start, value.end))) {
      const text = generalName(der, name);
      if (text !== null) san.push(text);
    }
  }
  return { subject: nameText(der, subject), issuer: nameText(der, issuer), san };
}

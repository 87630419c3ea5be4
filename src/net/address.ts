// IP and MAC addresses between text and bytes.

/** 4 bytes for IPv4 text, 16 for IPv6 text, null when `text` is neither. */
export function parseIp(text: string): Uint8Array | null {
  return text.includes(":") ? parseIPv6Text(text) : parseIPv4Text(text);
}

/**
 * IP literals as integers (IPv4 a number, IPv6 a bigint) and as bytes. One
 * strict parser serves both: no leading zeros in IPv4 parts ("010" is 8 to
 * inet_aton, 10 to nmap's octet parser; scan targets take nmap's spellings in
 * src/scan/ipv4-forms.ts), "::" at most once, an IPv4 tail allowed in IPv6.
 */
const V4_PART = /^(0|[1-9]\d{0,2})$/;

export function ipv4FromText(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!V4_PART.test(p)) return null;
    const octet = Number(p);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

export function ipv4ToText(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

export function ipv6FromText(text: string): bigint | null {
  if (text.includes("%")) return null; // zone ids are not scan targets
  let head = text;
  let v4Tail: number | null = null;
  const lastColon = text.lastIndexOf(":");
  if (lastColon >= 0 && text.slice(lastColon + 1).includes(".")) {
    v4Tail = ipv4FromText(text.slice(lastColon + 1));
    if (v4Tail === null) return null;
    head = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const split = (s: string) => (s === "" ? [] : s.split(":"));
  const left = split(halves[0]!);
  const right = halves.length === 2 ? split(halves[1]!) : [];
  const groups = left.length + right.length;
  if (halves.length === 1 ? groups !== 8 : groups > 7) return null;
  const all = [...left, ...Array<string>(8 - groups).fill("0"), ...right];
  let n = 0n;
  for (const g of all) {
    if (!HEX_GROUP.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (v4Tail !== null) n = (n & ~0xffffffffn) | BigInt(v4Tail);
  return n;
}

/** RFC 5952 text: lower case, longest run of zero groups (2+) as "::". */
export function ipv6ToText(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return hex.slice(0, bestStart).join(":") + "::" + hex.slice(bestStart + bestLen).join(":");
}

export function parseIPv4Text(text: string): Uint8Array | null {
  const n = ipv4FromText(text);
  return n === null ? null : Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

/** A zone id (`fe80::1%eth0`) is dropped: bytes carry none. */
export function parseIPv6Text(text: string): Uint8Array | null {
  const zone = text.indexOf("%");
  const n = ipv6FromText(zone >= 0 ? text.slice(0, zone) : text);
  if (n === null) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number((n >> BigInt((15 - i) * 8)) & 0xffn);
  return out;
}

export function formatIp(bytes: Uint8Array, offset = 0, length: 4 | 16 = bytes.length === 16 ? 16 : 4): string {
  if (length === 4) return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  let n = 0n;
  for (let i = 0; i < 16; i++) n = (n << 8n) | BigInt(bytes[offset + i]!);
  return ipv6ToText(n);
}

export function parseMac(text: string): Uint8Array | null {
  const parts = text.split(":");
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return null;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function formatMac(bytes: Uint8Array, offset = 0): string {
  const out: string[] = [];
  for (let i = 0; i < 6; i++) out.push(bytes[offset + i]!.toString(16).padStart(2, "0"));
  return out.join(":");
}

export function bytesEqual(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}

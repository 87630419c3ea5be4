// IP literals as integers: IPv4 as a number (0 .. 2^32-1), IPv6 as a bigint.
// Parsers return null on anything that is not a literal; callers name the value.

export type Family = 4 | 6;

const V4_PART = /^(0|[1-9]\d{0,2})$/;

export function parseIPv4(text: string): number | null {
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

export function formatIPv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

export function parseIPv6(text: string): bigint | null {
  if (text.includes("%")) return null; // zone ids are not scan targets
  let head = text;
  let v4Tail: number | null = null;
  const lastColon = text.lastIndexOf(":");
  if (lastColon >= 0 && text.slice(lastColon + 1).includes(".")) {
    v4Tail = parseIPv4(text.slice(lastColon + 1));
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
export function formatIPv6(n: bigint): string {
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

export function familyOf(text: string): Family | null {
  if (parseIPv4(text) !== null) return 4;
  if (parseIPv6(text) !== null) return 6;
  return null;
}

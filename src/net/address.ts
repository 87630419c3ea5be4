// IP and MAC addresses between text and bytes.

/** 4 bytes for IPv4 text, 16 for IPv6 text, null when `text` is neither. */
export function parseIp(text: string): Uint8Array | null {
  return text.includes(":") ? parseIPv6Text(text) : parseIPv4Text(text);
}

export function parseIPv4Text(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    out[i] = Number(p);
  }
  return out;
}

export function parseIPv6Text(text: string): Uint8Array | null {
  let s = text;
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const out = new Uint8Array(16);
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const words = (part: string): number[] | null => {
    if (part === "") return [];
    const groups = part.split(":");
    const result: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes(".")) {
        const v4 = parseIPv4Text(g);
        if (!v4) return null;
        result.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) result.push(parseInt(g, 16));
      else return null;
    }
    return result;
  };
  const head = words(halves[0]!);
  const tail = halves.length === 2 ? words(halves[1]!) : [];
  if (!head || !tail) return null;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  head.forEach((w, i) => ((out[i * 2] = w >> 8), (out[i * 2 + 1] = w & 0xff)));
  tail.forEach((w, i) => {
    const at = 16 - (tail.length - i) * 2;
    out[at] = w >> 8;
    out[at + 1] = w & 0xff;
  });
  return out;
}

export function formatIp(bytes: Uint8Array, offset = 0, length: 4 | 16 = bytes.length === 16 ? 16 : 4): string {
  if (length === 4) return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((bytes[offset + i * 2]! << 8) | bytes[offset + i * 2 + 1]!);
  // RFC 5952: compress the longest run (≥ 2) of zero words, the first one on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(":");
  if (best < 0) return hex(w);
  return `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
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

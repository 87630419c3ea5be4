import { invalid } from "../errors.ts";
import type { Block } from "./target-spec.ts";

// nmap's octet notation: each of the four octets is `*` or a comma list of numbers and
// ranges (`-5` runs from 0, `250-` to 255): 127.0.0.1,2  127.0.0-1.1  127.0.0.*
// 127.0.0.1-3,5. Users paste these from nmap habits and scripts.

/** More blocks than this from one spec is a job for CIDR (and would cost memory per block). */
const MAX_BLOCKS = 65_536;

const OCTETS = /^[\d,*-]+$/;

type Span = [lo: number, hi: number];

/** One octet's spans, sorted and merged so `1,1` and `1-3,2` name each value once. */
function spans(part: string, spec: string): Span[] {
  const out: Span[] = [];
  for (const item of part.split(",")) {
    // Numbers in decimal, leading zeros allowed (nmap: 127.0.0.0001,2 is .1 and .2); the end
    // only after a dash, so "1234" is one number (refused), not 123 and a stray 4.
    const m = /^(\d+)?(?:(-)(\d+)?)?$/.exec(item);
    if (item === "*") out.push([0, 255]);
    else if (!m || (m[1] === undefined && m[3] === undefined)) {
      throw invalid("address range", spec, `cannot read octet "${part}": expected numbers, ranges (1-5) or *`);
    } else {
      const lo = m[1] === undefined ? 0 : Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === undefined ? 255 : Number(m[3]);
      if (lo > 255 || hi > 255) throw invalid("address range", spec, "octets are 0-255");
      if (hi < lo) throw invalid("address range", spec, "the end comes before the start");
      out.push([lo, hi]);
    }
  }
  out.sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const s of out) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1] + 1) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

function values(list: readonly Span[]): number[] {
  return list.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));
}

/**
 * The blocks of an octet-notation spec, or null when `spec` is not one (a plain address,
 * a last-octet range such as 127.0.0.1-5, CIDR, a name: parseTarget reads those).
 */
export function octetBlocks(spec: string): Block[] | null {
  const parts = spec.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTETS.test(p))) return null;
  // A last-octet range with both ends (127.0.0.1-5) stays parseTarget's; an open one (250-) is ours.
  const marked = (p: string, i: number) => /[,*]|^-|-$/.test(p) || (i < 3 && p.includes("-"));
  if (!parts.some(marked)) return null;
  const [a, b, c, d] = parts.map((p) => spans(p, spec)) as [Span[], Span[], Span[], Span[]];
  const prefixes = values(a).length * values(b).length * values(c).length;
  if (prefixes * d.length > MAX_BLOCKS) {
    throw invalid("address range", spec, `more than ${MAX_BLOCKS} separate pieces: write it as CIDR blocks`);
  }
  const out: Block[] = [];
  for (const x of values(a)) {
    for (const y of values(b)) {
      for (const z of values(c)) {
        const base = ((x << 24) | (y << 16) | (z << 8)) >>> 0;
        for (const [lo, hi] of d) out.push({ family: 4, lo: BigInt(base + lo), hi: BigInt(base + hi) });
      }
    }
  }
  return out;
}

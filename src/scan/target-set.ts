import { formatIPv4, formatIPv6 } from "./address.ts";
import type { Block } from "./target-spec.ts";

// The addresses to scan as sorted, disjoint blocks with excludes already cut out,
// addressable by index so the permutation can pick any host without a list.

function normalise(blocks: readonly Block[]): Block[] {
  const sorted = [...blocks].sort((a, b) =>
    a.family !== b.family ? a.family - b.family : a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0,
  );
  const out: Block[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.family === b.family && b.lo <= last.hi + 1n) {
      if (b.hi > last.hi) last.hi = b.hi;
    } else out.push({ ...b });
  }
  return out;
}

function subtract(blocks: Block[], cut: readonly Block[]): Block[] {
  let current = blocks;
  for (const c of normalise(cut)) {
    const next: Block[] = [];
    for (const b of current) {
      if (b.family !== c.family || c.hi < b.lo || c.lo > b.hi) {
        next.push(b);
        continue;
      }
      if (b.lo < c.lo) next.push({ family: b.family, lo: b.lo, hi: c.lo - 1n });
      if (b.hi > c.hi) next.push({ family: b.family, lo: c.hi + 1n, hi: b.hi });
    }
    current = next;
  }
  return current;
}

export class TargetSet {
  private readonly blocks: Block[];
  /** starts[i] = index of blocks[i]'s first address. */
  private readonly starts: number[] = [];
  /** Exact address count; may exceed 2^53 for huge IPv6 blocks. */
  readonly bigSize: bigint;

  constructor(include: readonly Block[], exclude: readonly Block[] = []) {
    this.blocks = subtract(normalise(include), exclude);
    let total = 0n;
    for (const b of this.blocks) {
      this.starts.push(Number(total));
      total += b.hi - b.lo + 1n;
    }
    this.bigSize = total;
  }

  /** Address count as a number; only meaningful when bigSize fits (callers check). */
  get size(): number {
    return Number(this.bigSize);
  }

  /** The address at `index` (0 <= index < size), as text. */
  at(index: number): string {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    const b = this.blocks[lo]!;
    const offset = index - this.starts[lo]!;
    if (b.family === 4) return formatIPv4(Number(b.lo) + offset);
    return formatIPv6(b.lo + BigInt(offset));
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }
}

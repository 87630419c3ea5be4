// A keyed pseudo-random permutation of [0, size): a balanced Feistel network on
// the smallest even bit width covering `size`, with cycle walking to stay inside
// the domain. Stateless: position i maps to one element without remembering any
// other, so a shard, a resume or a second machine needs only (seed, size).

const ROUNDS = 4;

/** A 32-bit mix of (value, key): murmur3's finaliser over both. */
function mix(value: number, key: number): number {
  let h = Math.imul(value ^ key, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593) ^ key;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Permutation {
  private readonly halfBits: number;
  private readonly halfSize: number;
  private readonly mask: number;
  private readonly keys: number[];

  constructor(
    readonly size: number,
    seed: number,
  ) {
    if (!Number.isSafeInteger(size) || size < 0 || size > 2 ** 52) {
      throw new RangeError(`permutation size must be a whole number up to 2^52, got ${size}`);
    }
    let bits = 2;
    while (2 ** bits < size) bits += 2;
    this.halfBits = bits / 2;
    this.halfSize = 2 ** this.halfBits;
    this.mask = this.halfSize - 1;
    this.keys = Array.from({ length: ROUNDS }, (_, r) => mix(seed >>> 0, 0x9e3779b9 + r) ^ Math.floor(seed / 2 ** 32));
  }

  private encrypt(x: number): number {
    let left = Math.floor(x / this.halfSize);
    let right = x % this.halfSize;
    for (let r = 0; r < ROUNDS; r++) {
      // halves are at most 26 bits, so the mixed value masks back losslessly
      const next = (left ^ (mix(right, this.keys[r]!) & this.mask)) >>> 0;
      left = right;
      right = next;
    }
    return left * this.halfSize + right;
  }

  /** The element at position `i` (0 <= i < size). */
  at(i: number): number {
    let x = this.encrypt(i);
    while (x >= this.size) x = this.encrypt(x);
    return x;
  }
}

export interface Shard {
  /** 1-based, as the user writes it: --shard 2/4. */
  index: number;
  count: number;
}

/** How many positions shard `index` of `count` owns out of `size`: i ≡ index-1 (mod count). */
export function shardLength(size: number, shard: Shard): number {
  const first = shard.index - 1;
  return first >= size ? 0 : Math.floor((size - 1 - first) / shard.count) + 1;
}

/** The positions of one shard, mapped through the permutation. */
export function* shardOrder(perm: Permutation, shard: Shard = { index: 1, count: 1 }): Generator<number> {
  for (let i = shard.index - 1; i < perm.size; i += shard.count) yield perm.at(i);
}

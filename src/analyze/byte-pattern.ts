import { Buffer } from "node:buffer";

/**
 * A byte pattern found in the buffers the reader hands out, remembering where
 * its next occurrence is: lines before that position cannot contain it, so
 * each buffer is searched once from end to end, not once per line.
 *
 * The search jumps between occurrences of the pattern's rarest byte (counted
 * in the first buffer seen) with Uint8Array's native single-byte indexOf and
 * compares the rest here: a call per candidate costs a tenth of Buffer's
 * multi-byte indexOf, and a byte such as the `O` of `"state":"Open"` is rare.
 */
export class BytePattern {
  private raw: Uint8Array | null = null;
  private buf: Buffer | null = null;
  /** No occurrence starts in [from, next); next is -1 when none is left. */
  private from = 0;
  private next = -1;
  private anchor = -1;
  /** The bytes as a plain Uint8Array, and their length as a field: a Buffer's own `length` is a slow read in JSC. */
  private readonly pat: Uint8Array;
  private readonly n: number;
  constructor(readonly bytes: Buffer) {
    this.pat = Uint8Array.from(bytes);
    this.n = bytes.length;
  }

  /** The pattern's length in bytes. */
  get size(): number {
    return this.n;
  }

  /** True when the pattern starts within [start, end) of `buf` and ends by `end`. */
  within(buf: Buffer, start: number, end: number): boolean {
    if (buf !== this.buf || start < this.from || (this.next >= 0 && this.next < start)) {
      if (buf !== this.buf) {
        this.buf = buf;
        this.raw = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
        if (this.anchor < 0) this.anchor = rarestIndex(this.pat, this.raw);
      }
      this.from = start;
      this.next = this.search(start);
    }
    const next = this.next;
    return next >= 0 && next < end && next + this.n <= end;
  }

  /** Where the next occurrence at or after `start` in `buf` begins; -1 when there is none. */
  nextFrom(buf: Buffer, start: number): number {
    this.within(buf, start, start);
    return this.next;
  }

  /** The first occurrence at or after `from`, or -1. */
  private search(from: number): number {
    const raw = this.raw!;
    const pat = this.pat;
    const n = this.n;
    const a = this.anchor;
    const anchorByte = pat[a]!;
    let at = from + a;
    for (;;) {
      const hit = raw.indexOf(anchorByte, at);
      if (hit < 0 || hit - a + n > raw.length) return -1;
      const s = hit - a;
      let k = 0;
      while (k < n && raw[s + k] === pat[k]) k++;
      if (k === n) return s;
      at = hit + 1;
    }
  }
}

/** Index in `pattern` of its byte seen least often in (up to 64 KiB of) `sample`. */
function rarestIndex(pattern: Uint8Array, sample: Uint8Array): number {
  const counts = new Uint32Array(256);
  const n = Math.min(sample.length, 1 << 16);
  for (let i = 0; i < n; i++) counts[sample[i]!]!++;
  let best = 0;
  for (let i = 1; i < pattern.length; i++) if (counts[pattern[i]!]! <= counts[pattern[best]!]!) best = i;
  return best;
}

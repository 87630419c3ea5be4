import { Buffer } from "node:buffer";

/**
 * A byte pattern searched natively, with the position of its next occurrence
 * in the current buffer remembered: lines before that position cannot contain
 * it, so each buffer is searched once from end to end, not once per line.
 */
export class BytePattern {
  private buf: Buffer | null = null;
  private next = -1;
  constructor(readonly bytes: Buffer) {}

  /** True when the pattern starts within [start, end) of `buf` and ends by `end`. */
  within(buf: Buffer, start: number, end: number): boolean {
    if (buf !== this.buf || (this.next >= 0 && this.next < start)) {
      this.buf = buf;
      this.next = buf.indexOf(this.bytes, start);
    }
    if (this.next < 0) return false;
    return this.next < end && this.next + this.bytes.length <= end;
  }
}

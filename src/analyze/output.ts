import type { Buffer } from "node:buffer";

/**
 * Where results go; the CLI passes stdout. A returned promise is waited for
 * (backpressure); once it settles (or write returns nothing) the chunk is the
 * caller's again, so a writer that keeps bytes must copy them.
 */
export interface ByteWriter {
  write(chunk: Uint8Array | string): void | Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Collects many small writes (one per matching line) into 1 MiB blocks: one
 * write per block instead of one per line. The block is reused once written
 * (a fresh 1 MiB each time cost a page fault per 4 KiB); callers await what
 * line() returns before the next line.
 */
export class BlockWriter {
  private block = new Uint8Array(1 << 20);
  private used = 0;

  constructor(private readonly out: ByteWriter) {}

  /** The line's bytes and a newline; a promise only when a full block was written out. */
  line(bytes: Uint8Array): Promise<void> | undefined {
    if (this.used + bytes.length + 1 > this.block.length) return this.lineAfterFlush(bytes);
    this.block.set(bytes, this.used);
    this.used += bytes.length;
    this.block[this.used++] = 10;
    return undefined;
  }

  /** Bytes [from, to) of `buf` and a newline, copied natively without a view; a promise only when a block went out. */
  region(buf: Buffer, from: number, to: number): Promise<void> | undefined {
    const n = to - from;
    if (this.used + n + 1 > this.block.length) return this.lineAfterFlush(buf.subarray(from, to));
    buf.copy(this.block, this.used, from, to);
    this.used += n;
    this.block[this.used++] = 10;
    return undefined;
  }

  private async lineAfterFlush(bytes: Uint8Array): Promise<void> {
    await this.flush();
    if (bytes.length + 1 > this.block.length) {
      // The reader may reuse the bytes' buffer, and the writer may keep what it is given: copy.
      await this.out.write(bytes.slice());
      await this.out.write("\n");
      return;
    }
    this.block.set(bytes, this.used);
    this.used += bytes.length;
    this.block[this.used++] = 10;
  }

  async text(s: string): Promise<void> {
    await this.line(encoder.encode(s));
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.block.subarray(0, this.used);
    this.used = 0;
    await this.out.write(full);
  }
}

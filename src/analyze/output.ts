/** Where results go; the CLI passes stdout. A returned promise is waited for (backpressure). */
export interface ByteWriter {
  write(chunk: Uint8Array | string): void | Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Collects many small writes (one per matching line) into 1 MiB blocks: one
 * write per block instead of one per line. Each block is a fresh buffer, since
 * the writer may hold on to it.
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
    this.block = new Uint8Array(this.block.length);
    this.used = 0;
    await this.out.write(full);
  }
}

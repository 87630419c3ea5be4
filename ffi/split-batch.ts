import type { FrameBatch } from "../src/scan/syn/index.ts";

/** Frames per turn: each batch takes whole runs, so each thread sends full sendmmsg calls. */
const RUN = 64;

/**
 * Several sending batches used in turn, a run of frames each: with two sending
 * threads the kernel's per-frame work is spread over two cores. Frames of one
 * run go out in order; runs on different threads may interleave.
 */
export class SplitBatch implements FrameBatch {
  readonly slotSize: number;
  #turn = 0;
  #count = 0;
  #current: FrameBatch;

  constructor(private readonly parts: readonly (FrameBatch & { close(): void })[]) {
    this.slotSize = Math.min(...parts.map((p) => p.slotSize));
    this.#current = parts[0]!;
  }

  next(): Uint8Array {
    return this.#current.next();
  }

  commit(length: number): void {
    this.#current.commit(length);
    if (++this.#count === RUN) {
      this.#count = 0;
      this.#current.flush();
      this.#turn = this.#turn + 1 === this.parts.length ? 0 : this.#turn + 1;
      this.#current = this.parts[this.#turn]!;
    }
  }

  flush(): void {
    for (const p of this.parts) p.flush();
  }

  get pending(): number {
    return this.parts.reduce((n, p) => n + ((p as { pending?: number }).pending ?? 0), 0);
  }

  close(): void {
    for (const p of this.parts) p.close();
  }
}

/**
 * Bytes a log holds in memory, unwritten, and the wait it asks of a publisher
 * that outruns the disk: past `holdAbove` bytes, one promise for every caller
 * that resolves once writes have brought the backlog down to half. The
 * publisher waits between bursts, so `publish` itself never does.
 */
export class Backlog {
  #written = 0;
  #held: Promise<void> | null = null;
  #release: () => void = () => {};

  /** `pending()` adds what is encoded but not yet handed to a file. */
  constructor(
    private readonly holdAbove: number,
    private readonly pending: () => number,
  ) {}

  get bytes(): number {
    return this.#written + this.pending();
  }

  /** Bytes handed to a file (positive) or written or dropped by it (negative). */
  change(bytes: number): void {
    this.#written += bytes;
    if (bytes < 0 && this.#held !== null && this.bytes <= this.holdAbove / 2) this.release();
  }

  /** Nothing while within bounds; past them, a promise (the same one for every caller). */
  hold(): Promise<void> | undefined {
    if (this.#held !== null) return this.#held;
    if (this.bytes <= this.holdAbove) return undefined;
    this.#held = new Promise((resolve) => {
      this.#release = () => {
        this.#held = null;
        resolve();
      };
    });
    return this.#held;
  }

  /** Lets every waiter go (the log is closing). */
  release(): void {
    if (this.#held !== null) this.#release();
  }
}

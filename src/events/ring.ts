/** Fixed-capacity ring: push is O(1) and overwrites the oldest once full. */
export class Ring<T> {
  private readonly slots: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    this.slots[this.next] = item;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.count < this.capacity) this.count++;
  }

  /** The item pushed `k` pushes ago (0: the newest); undefined once overwritten. */
  fromNewest(k: number): T | undefined {
    if (k < 0 || k >= this.count) return undefined;
    const i = this.next - 1 - k;
    return this.slots[i < 0 ? i + this.capacity : i];
  }

  /**
   * Copies the `n` newest items, oldest first, into `target` from index `at`;
   * returns the index after the last copied. Two straight loops, no callbacks:
   * a follower copies in bulk while the publisher waits.
   */
  copyNewest(n: number, target: T[], at: number): number {
    const count = Math.min(n, this.count);
    let start = this.next - count;
    if (start < 0) start += this.capacity;
    const firstRun = Math.min(count, this.capacity - start);
    const slots = this.slots;
    for (let i = 0; i < firstRun; i++) target[at++] = slots[start + i] as T;
    for (let i = 0; i < count - firstRun; i++) target[at++] = slots[i] as T;
    return at;
  }

  /** Oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) yield this.slots[(start + i) % this.capacity] as T;
  }

  toArray(): T[] {
    return [...this];
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}

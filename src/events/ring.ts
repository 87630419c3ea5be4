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

  /** Oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) yield this.slots[(start + i) % this.capacity] as T;
  }

  /** The newest `n` items (n <= length), oldest first, into `into[at..at + n)`. */
  copyNewest(n: number, into: (T | undefined)[], at = 0): void {
    let i = this.next - n;
    if (i < 0) i += this.capacity;
    for (let k = at; k < at + n; k++) {
      into[k] = this.slots[i];
      i = i + 1 === this.capacity ? 0 : i + 1;
    }
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

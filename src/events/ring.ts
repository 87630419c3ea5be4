/** Bounded ring: push is O(1) and overwrites the oldest once full. */
export class Ring<T> {
  private slots: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(private size: number) {
    checkCapacity(size);
    this.slots = new Array<T | undefined>(size).fill(undefined);
  }

  get capacity(): number {
    return this.size;
  }

  /** A new capacity, keeping the newest items that fit, in order. */
  resize(capacity: number): void {
    checkCapacity(capacity);
    const keep = Math.min(this.count, capacity);
    const slots = new Array<T | undefined>(capacity).fill(undefined);
    this.copyNewest(keep, slots);
    this.slots = slots;
    this.size = capacity;
    this.count = keep;
    this.next = keep === capacity ? 0 : keep;
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    this.slots[this.next] = item;
    this.next = this.next + 1 === this.size ? 0 : this.next + 1;
    if (this.count < this.size) this.count++;
  }

  /** Oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    const start = (this.next - this.count + this.size) % this.size;
    for (let i = 0; i < this.count; i++) yield this.slots[(start + i) % this.size] as T;
  }

  /** The newest `n` items (n <= length), oldest first, into `into[at..at + n)`. */
  copyNewest(n: number, into: (T | undefined)[], at = 0): void {
    let i = this.next - n;
    if (i < 0) i += this.size;
    for (let k = at; k < at + n; k++) {
      into[k] = this.slots[i];
      i = i + 1 === this.size ? 0 : i + 1;
    }
  }

  /** Lets go of all but the newest `keep` items, so they can be collected. */
  trim(keep: number): void {
    if (this.count <= keep) return;
    let i = this.next - this.count;
    if (i < 0) i += this.size;
    for (let n = this.count - keep; n > 0; n--) {
      this.slots[i] = undefined;
      i = i + 1 === this.size ? 0 : i + 1;
    }
    this.count = keep;
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

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
  }
}

/** A first-in first-out queue of non-negative int32s in a growable ring: O(1) push and shift, no per-item garbage. */
export class IntFifo {
  #items: Int32Array;
  #head = 0;
  #size = 0;

  /** Room for `capacity` items before the first growth (rounded up to a power of two). */
  constructor(capacity = 1024) {
    this.#items = new Int32Array(2 ** Math.ceil(Math.log2(Math.max(2, capacity))));
  }

  get size(): number {
    return this.#size;
  }

  push(item: number): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size++) & (this.#items.length - 1)] = item;
  }

  /** The oldest item, or -1 when empty. */
  peek(): number {
    return this.#size === 0 ? -1 : this.#items[this.#head]!;
  }

  /** Removes and returns the oldest item, or -1 when empty. */
  shift(): number {
    if (this.#size === 0) return -1;
    const item = this.#items[this.#head]!;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#size--;
    return item;
  }

  // Called only when full: the items are the run from head to the end, then the run before head.
  // Two block copies rather than a loop the JIT would compile for a handful of calls.
  #grow(): void {
    const old = this.#items;
    const items = new Int32Array(old.length * 2);
    items.set(old.subarray(this.#head));
    items.set(old.subarray(0, this.#head), old.length - this.#head);
    this.#items = items;
    this.#head = 0;
  }
}

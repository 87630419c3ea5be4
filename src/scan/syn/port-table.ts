/**
 * Ports to values for one host: an open-addressing table (linear probing,
 * backward-shift deletion) over an Int32Array of keys. A SYN scan inserts and
 * deletes one entry per probe, hundreds of thousands outstanding at a time;
 * a Map<number, …> per host cost the scan's thread more than framing and
 * hashing the probe together (scripts/bench-syn-send.ts).
 */
export class PortTable<V> {
  /** port + 1 per slot; 0 is an empty slot. */
  #keys: Int32Array;
  #values: (V | undefined)[];
  #mask: number;
  /** 32 - log2(slots): the top bits of the product are the best mixed. */
  #shift: number;
  #size = 0;

  constructor(capacity = 16) {
    const slots = 1 << Math.max(4, Math.ceil(Math.log2(capacity * 2)));
    this.#keys = new Int32Array(slots);
    this.#values = new Array<V | undefined>(slots).fill(undefined);
    this.#mask = slots - 1;
    this.#shift = 32 - Math.log2(slots);
  }

  get size(): number {
    return this.#size;
  }

  get(port: number): V | undefined {
    const keys = this.#keys;
    const key = port + 1;
    for (let i = this.#slot(port); ; i = (i + 1) & this.#mask) {
      const k = keys[i]!;
      if (k === key) return this.#values[i];
      if (k === 0) return undefined;
    }
  }

  set(port: number, value: V): void {
    if ((this.#size + 1) * 2 > this.#keys.length) this.#grow();
    const keys = this.#keys;
    const key = port + 1;
    let i = this.#slot(port);
    for (; keys[i] !== 0 && keys[i] !== key; i = (i + 1) & this.#mask);
    if (keys[i] === 0) this.#size++;
    keys[i] = key;
    this.#values[i] = value;
  }

  delete(port: number): boolean {
    const keys = this.#keys;
    const values = this.#values;
    const mask = this.#mask;
    const key = port + 1;
    let i = this.#slot(port);
    for (; keys[i] !== key; i = (i + 1) & mask) if (keys[i] === 0) return false;
    // Backward shift: pull later entries of the run into the hole, so lookups never need tombstones.
    for (let j = (i + 1) & mask; keys[j] !== 0; j = (j + 1) & mask) {
      const home = this.#slot(keys[j]! - 1);
      // Entry j may move to i only if its home slot is not in (i, j] (cyclically).
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j]!;
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = 0;
    values[i] = undefined;
    this.#size--;
    return true;
  }

  /** Fibonacci hashing: neighbouring ports land far apart. */
  #slot(port: number): number {
    return Math.imul(port, 0x9e3779b1) >>> this.#shift;
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    // Quadrupling while small: a host of a /24 × 1,000 scan reaches 2,048 slots in 4 steps, not 7.
    const slots = oldKeys.length * (oldKeys.length < 1024 ? 4 : 2);
    this.#keys = new Int32Array(slots);
    this.#values = new Array<V | undefined>(slots).fill(undefined);
    this.#mask = slots - 1;
    this.#shift = 32 - Math.log2(slots);
    this.#size = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== 0) this.set(oldKeys[i]! - 1, oldValues[i] as V);
  }
}

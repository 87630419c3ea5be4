/**
 * Every SYN sent, by attempt number. The number travels in the SYN itself (its
 * sequence number is the cookie xor the number), so a reply names the probe it
 * answers: no table of outstanding probes per host, whose insert and delete for
 * every probe took a fifth of the scan's thread (bun --cpu-prof of a SYN scan
 * of 234 hosts x 5,000 ports). A slot is reused once its number is `capacity`
 * old; the log doubles rather than drop an attempt still awaiting its reply.
 */
export class AttemptLog {
  #ids: Int32Array;
  /** The probe (a non-negative number) each slot's attempt was for; -1 for none. */
  #items: Int32Array;
  #mask: number;
  #next = 0;

  constructor(capacity = 1 << 16) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(2, capacity)));
    this.#ids = new Int32Array(slots);
    this.#items = new Int32Array(slots).fill(-1);
    this.#mask = slots - 1;
  }

  get capacity(): number {
    return this.#items.length;
  }

  /**
   * Records `item` under the next attempt number and returns the number (as an
   * int32). `waiting(old, n)` says whether the attempt a slot holds may still be
   * answered; such a slot is never reused.
   */
  add(item: number, waiting: (old: number, n: number) => boolean): number {
    const n = this.#next;
    let slot = n & this.#mask;
    const old = this.#items[slot]!;
    if (old >= 0 && waiting(old, this.#ids[slot]!)) {
      this.#grow();
      slot = n & this.#mask;
    }
    this.#ids[slot] = n;
    this.#items[slot] = item;
    this.#next = (n + 1) | 0;
    return n;
  }

  /** Room for at least `count` attempts awaiting replies before the log has to grow while sending. */
  reserve(count: number): void {
    while (this.#items.length < count) this.#grow();
  }

  /** What attempt `n` was recorded for while its slot still holds it, else -1. */
  get(n: number): number {
    const slot = n & this.#mask;
    return this.#ids[slot] === n ? this.#items[slot]! : -1;
  }

  #grow(): void {
    const ids = this.#ids;
    const items = this.#items;
    const slots = items.length * 2;
    this.#ids = new Int32Array(slots);
    this.#items = new Int32Array(slots).fill(-1);
    this.#mask = slots - 1;
    // The numbers held are the last `items.length` issued: distinct modulo the new size too.
    for (let i = 0; i < items.length; i++) {
      if (items[i]! < 0) continue;
      const slot = ids[i]! & this.#mask;
      this.#ids[slot] = ids[i]!;
      this.#items[slot] = items[i]!;
    }
  }
}

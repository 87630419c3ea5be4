import type { HostState } from "./hosts.ts";

/**
 * The probes between their admission and their verdict, as columns indexed by
 * a probe's number (its slot). A scan keeps about a timeout's worth of them
 * outstanding (~1 M at 1 M packets/s with the default 1 s): as objects, every
 * one lived long enough to be promoted and then marked by each collection
 * until it died old. A slot is reused once its probe is decided and has left
 * every queue.
 */
/** Hosts beyond this position in the engine's list are looked up by name, as in hosts.ts (the index is 4 bytes a host). */
const INDEXED = 1 << 20;

export class ProbeTable {
  /**
   * The probe's host: an index into `#named`, the (name, state) pairs seen so
   * far. Two arrays of a million references each were appended to while
   * sending, reallocated as they grew, and marked by every collection.
   */
  ref = new Int32Array(0);
  readonly #named: { target: string; host: HostState }[] = [];
  /** `#named`'s index by the engine's host index (-1 unknown), and by name for probes without one. */
  #byIndex = new Int32Array(0);
  readonly #byName = new Map<string, number>();
  port = new Uint16Array(0);
  /** SYNs sent so far. */
  attempts = new Int32Array(0);
  /** The numbers of its first and latest SYN (see attempts.ts): a reply naming one of them decides the probe. */
  firstAttempt = new Int32Array(0);
  attempt = new Int32Array(0);
  sentAt = new Float64Array(0);
  done = new Uint8Array(0);
  #free = new Int32Array(0);
  #freeCount = 0;
  #used = 0;

  constructor(capacity = 1024) {
    this.#resize(capacity);
  }

  /** The probe's host as the engine named it (not the Probe itself, which dies young). */
  target(p: number): string {
    return this.#named[this.ref[p]!]!.target;
  }

  host(p: number): HostState {
    return this.#named[this.ref[p]!]!.host;
  }

  /** A slot for a new probe, its fields reset. `index`: the host's position in the engine's list, when it has one. */
  admit(target: string, port: number, host: HostState, index = -1): number {
    let p: number;
    if (this.#freeCount > 0) p = this.#free[--this.#freeCount]!;
    else {
      if (this.#used === this.port.length) this.#resize(this.port.length * 2);
      p = this.#used++;
    }
    this.ref[p] = this.#refOf(target, host, index);
    this.port[p] = port;
    this.attempts[p] = 0;
    this.sentAt[p] = 0;
    this.done[p] = 0;
    return p;
  }

  /** Probe `p` is decided and in no queue: its slot may be handed out again. */
  release(p: number): void {
    this.#free[this.#freeCount++] = p;
  }

  /**
   * Attempt `n` was one of `p`'s SYNs, to `port`. A slot reused since is still
   * what the old numbers point at: its own numbers, if it has sent any yet,
   * come after them.
   */
  sentTo(p: number, n: number, port: number): boolean {
    return this.port[p] === port && this.attempts[p]! > 0 && ((n - this.firstAttempt[p]!) | 0) >= 0 && ((this.attempt[p]! - n) | 0) >= 0;
  }

  /** An attempt still awaiting its reply: its probe is undecided, has sent, and this is its latest SYN. */
  readonly awaitingReply = (p: number, n: number): boolean => this.done[p] === 0 && this.attempts[p]! > 0 && this.attempt[p] === n;

  #refOf(target: string, host: HostState, index: number): number {
    if (index >= 0 && index < this.#byIndex.length) {
      const known = this.#byIndex[index]!;
      if (known >= 0 && this.#named[known]!.host === host) return known;
    }
    let ref = this.#byName.get(target);
    if (ref === undefined || this.#named[ref]!.host !== host) {
      ref = this.#named.length;
      this.#named.push({ target, host });
      this.#byName.set(target, ref);
    }
    if (index >= 0 && index < INDEXED) {
      if (index >= this.#byIndex.length) {
        const grown = new Int32Array(Math.min(INDEXED, Math.max(1024, 2 ** Math.ceil(Math.log2(index + 1))))).fill(-1);
        grown.set(this.#byIndex);
        this.#byIndex = grown;
      }
      this.#byIndex[index] = ref;
    }
    return ref;
  }

  #resize(capacity: number): void {
    const grow = <A extends Uint16Array | Int32Array | Float64Array | Uint8Array>(old: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.ref = grow(this.ref, (n) => new Int32Array(n));
    this.port = grow(this.port, (n) => new Uint16Array(n));
    this.attempts = grow(this.attempts, (n) => new Int32Array(n));
    this.firstAttempt = grow(this.firstAttempt, (n) => new Int32Array(n));
    this.attempt = grow(this.attempt, (n) => new Int32Array(n));
    this.sentAt = grow(this.sentAt, (n) => new Float64Array(n));
    this.done = grow(this.done, (n) => new Uint8Array(n));
    this.#free = grow(this.#free, (n) => new Int32Array(n));
  }
}

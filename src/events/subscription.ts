import type { CompiledFilter } from "./filter.ts";
import type { AnyEvent } from "./types.ts";

/**
 * Delivered once, before the next event, after a full queue dropped events:
 * `missed` is exactly how many this subscriber lost.
 */
export class Lagged {
  constructor(readonly missed: number) {}
}

export type Received = AnyEvent | Lagged;

/**
 * An async subscriber's bounded queue. The publisher only ever stores into it
 * (never waits); when full, the oldest undelivered event is dropped and counted.
 */
export class Subscription implements AsyncIterable<Received> {
  delivered = 0;
  dropped = 0;
  private readonly queue: (AnyEvent | undefined)[] = [];
  private head = 0;
  private size = 0;
  private missed = 0;
  private waiter: ((value: Received | null) => void) | null = null;
  private closed = false;
  readonly rest: CompiledFilter["rest"];

  constructor(
    readonly name: string,
    readonly filter: CompiledFilter,
    readonly capacity: number,
    private readonly onClose: (sub: Subscription) => void,
  ) {
    this.rest = filter.rest;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`subscriber queue capacity must be a positive integer, got ${capacity}`);
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Events waiting to be read. */
  get queued(): number {
    return this.size;
  }

  /** Called by the bus; O(1), never blocks. */
  push(e: AnyEvent): void {
    this.delivered++;
    const waiter = this.waiter;
    if (waiter !== null) {
      this.waiter = null;
      waiter(e);
      return;
    }
    const q = this.queue;
    if (this.size === this.capacity) {
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.size--;
      this.missed++;
      this.dropped++;
    }
    let tail = this.head + this.size;
    if (tail >= this.capacity) tail -= this.capacity;
    if (tail === q.length) q.push(e);
    else q[tail] = e;
    this.size++;
  }

  /** The next event, a Lagged notice, or null once closed and drained. */
  recv(): Promise<Received | null> {
    const ready = this.take();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Like recv, without waiting: undefined when nothing is ready. */
  tryRecv(): Received | null | undefined {
    const ready = this.take();
    if (ready !== undefined) return ready;
    return this.closed ? null : undefined;
  }

  private take(): Received | undefined {
    if (this.missed > 0) {
      const lag = new Lagged(this.missed);
      this.missed = 0;
      return lag;
    }
    if (this.size === 0) return undefined;
    const e = this.queue[this.head]!;
    this.queue[this.head] = undefined;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.size--;
    return e;
  }

  /** Stop receiving. Events already queued can still be read. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(null);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Hand-written rather than an async generator: a generator adds a promise hop
   * per event, which doubled publish-to-consumer latency in bench-bus.
   */
  [Symbol.asyncIterator](): AsyncIterator<Received> {
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: (): Promise<IteratorResult<Received>> => {
        const ready = this.take();
        if (ready !== undefined) return Promise.resolve({ done: false, value: ready });
        if (this.closed) return Promise.resolve(done);
        return new Promise((resolve) => {
          this.waiter = (v) => resolve(v === null ? done : { done: false, value: v });
        });
      },
      return: (): Promise<IteratorResult<Received>> => {
        this.close();
        return Promise.resolve(done);
      },
    };
  }
}

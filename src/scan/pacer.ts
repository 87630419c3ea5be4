import type { MonotonicClock } from "../runtime/capabilities.ts";
import type { Pacer } from "./technique.ts";

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket holding sends to `rate` per second. Tokens are reserved when
 * asked for, so concurrent callers queue behind each other instead of racing;
 * the bucket holds at most 10 ms of tokens (at least one), which bounds any
 * burst to 1% of a second's worth and keeps every 2 s window within 5%.
 * With no rate it only counts.
 */
export class TokenBucket implements Pacer {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  /** Tokens handed out: the packets sent. */
  acquired = 0;
  /** Time callers were made to wait, summed; the engine reports and resets it. */
  throttledMs = 0;

  constructor(
    readonly rate: number | null,
    private readonly clock: MonotonicClock,
    private readonly sleep: Sleep = realSleep,
  ) {
    if (rate !== null && !(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
    this.capacity = rate === null ? Infinity : Math.max(1, rate / 100);
    this.tokens = rate === null ? 0 : this.capacity;
    this.last = clock.now();
  }

  acquire(count = 1): Promise<void> | void {
    this.acquired += count;
    if (this.rate === null) return;
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    this.tokens -= count;
    if (this.tokens >= 0) return;
    const waitMs = (-this.tokens * 1000) / this.rate;
    this.throttledMs += waitMs;
    return this.sleep(waitMs);
  }
}

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
 *
 * What it reports (`sent`, `heldMs`) is about when probes leave, not when they
 * were reserved: a connect scan's 256 workers reserve their tokens all at once,
 * seconds ahead, and counting those as sent showed 10x the cap, then 0.
 */
export class TokenBucket implements Pacer {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  /** Tokens handed out, including those whose wait is not over. */
  private reserved = 0;
  /** The span of time in which callers are held: from when a wait began until the last reserved token falls due. */
  private heldFrom = 0;
  private heldUntil = -Infinity;
  /** Held time of spans that ended since the last report. */
  private heldBefore = 0;
  private reportedAt: number;

  constructor(
    readonly rate: number | null,
    private readonly clock: MonotonicClock,
    private readonly sleep: Sleep = realSleep,
  ) {
    if (rate !== null && !(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
    this.capacity = rate === null ? Infinity : Math.max(1, rate / 100);
    this.tokens = rate === null ? 0 : this.capacity;
    this.last = clock.now();
    this.reportedAt = this.last;
  }

  acquire(count = 1): Promise<void> | void {
    // The unthrottled SYN path runs at ~1 M probes/s: one increment and out.
    this.reserved += count;
    if (this.rate === null) return;
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    this.tokens -= count;
    if (this.tokens >= 0) return;
    const waitMs = (-this.tokens * 1000) / this.rate;
    if (now > this.heldUntil) {
      this.heldBefore += this.heldSince(this.heldUntil);
      this.heldFrom = now;
    }
    this.heldUntil = now + waitMs;
    return this.sleep(waitMs);
  }

  /**
   * Packets sent by `now`: every token but those still waiting. Reserved tokens
   * fall due one per 1/rate after the bucket climbs back to zero, so the tokens
   * still owed at `now` are the waits not yet over (exact for single tokens,
   * which is what every technique asks for). Computed here, when asked, so
   * that `acquire` does no more work per probe.
   */
  sent(now: number = this.clock.now()): number {
    if (this.rate === null) return this.reserved;
    const owed = -(this.tokens + ((now - this.last) * this.rate) / 1000);
    // The epsilon keeps float error from holding back a token already due.
    return owed > 1e-9 ? this.reserved - Math.min(this.reserved, Math.ceil(owed - 1e-9)) : this.reserved;
  }

  /** How long, since the last `reported`, callers were held by the bucket: wall time, however many waited at once. */
  heldMs(now: number = this.clock.now()): number {
    return this.heldBefore + this.heldSince(now);
  }

  /** The held time up to `now` has been reported: `heldMs` counts from here. */
  reported(now: number = this.clock.now()): void {
    this.heldBefore = 0;
    this.reportedAt = now;
  }

  /**
   * Waits that will not end in a send (the scan was cancelled and the sleeps
   * cut short, or paused, and those waits take new tokens on resume) stop
   * counting as sends to come; later sends queue from now.
   */
  forgetWaiting(now: number = this.clock.now()): void {
    if (this.rate === null) return;
    this.reserved = this.sent(now);
    this.tokens = 0;
    this.last = now;
    this.heldUntil = Math.min(this.heldUntil, now);
  }

  /** The part of the current held span between the last report and `until`. */
  private heldSince(until: number): number {
    return Math.max(0, Math.min(until, this.heldUntil) - Math.max(this.heldFrom, this.reportedAt));
  }
}

import type { Clock } from "../runtime/capabilities.ts";

/**
 * A clock that reads the real one at most once per `reuse` calls within one
 * synchronous run of JavaScript. On this class of machine a clock read costs
 * ~40 ns (clock_gettime measured from C as well), as much as the whole publish
 * budget, so a burst of events shares a reading: a timestamp is stale by at
 * most the work of `reuse - 1` calls in the same job, never across jobs (a
 * microtask drops the reading when the job ends).
 */
export class CoarseClock implements Clock {
  private reading = 0;
  private left = 0;
  private expiryQueued = false;
  private readonly expire = () => {
    this.left = 0;
    this.expiryQueued = false;
  };

  constructor(
    private readonly source: Clock,
    private readonly reuse = 64,
  ) {}

  now(): number {
    if (this.left > 0) {
      this.left--;
      return this.reading;
    }
    this.reading = this.source.now();
    this.left = this.reuse - 1;
    if (!this.expiryQueued) {
      this.expiryQueued = true;
      queueMicrotask(this.expire);
    }
    return this.reading;
  }
}

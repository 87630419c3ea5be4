/**
 * Exponentially weighted rate of a growing quantity, sampled at a fixed
 * interval: each interval's rate r updates `ewma = α·r + (1-α)·ewma`. Samples
 * arriving further apart count as several intervals at their average rate, and
 * intervals with no sample at all (a stalled scan publishes nothing) count as
 * zero rate once a grace interval has passed, so a stall raises the ETA.
 */
export class RateEwma {
  private lastT: number | null = null;
  private lastX = 0;
  private ewma: number | null = null;

  constructor(
    readonly alpha = 0.2,
    /** Seconds. */
    readonly interval = 1,
  ) {}

  observe(t: number, x: number): void {
    if (this.lastT === null) {
      this.lastT = t;
      this.lastX = x;
      return;
    }
    const dt = t - this.lastT;
    const k = Math.floor(dt / this.interval + 1e-9);
    if (k < 1) return;
    const rate = (x - this.lastX) / dt;
    const keep = (1 - this.alpha) ** k;
    this.ewma = this.ewma === null ? rate : rate + keep * (this.ewma - rate);
    this.lastT = t;
    this.lastX = x;
  }

  /** Per second at time `t`, or null before two samples an interval apart. */
  rate(t: number): number | null {
    if (this.ewma === null || this.lastT === null) return null;
    const silent = Math.floor((t - this.lastT) / this.interval + 1e-9) - 1;
    return silent > 0 ? this.ewma * (1 - this.alpha) ** silent : this.ewma;
  }

  reset(): void {
    this.lastT = null;
    this.lastX = 0;
    this.ewma = null;
  }
}

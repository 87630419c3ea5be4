// Retransmission timeout from measured round trips, RFC 6298's estimator:
// srtt and rttvar smoothed by 1/8 and 1/4, timeout = srtt + 4 * rttvar,
// clamped to the timing template's bounds.

export class RttEstimator {
  private srtt: number | null = null;
  private rttvar = 0;

  constructor(
    private readonly initialMs: number,
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  observe(rttMs: number): void {
    if (!(rttMs >= 0)) return;
    if (this.srtt === null) {
      this.srtt = rttMs;
      this.rttvar = rttMs / 2;
      return;
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs);
    this.srtt = 0.875 * this.srtt + 0.125 * rttMs;
  }

  get smoothedMs(): number | null {
    return this.srtt;
  }

  get variationMs(): number {
    return this.rttvar;
  }

  /** The timeout to give the next probe. */
  timeoutMs(): number {
    const raw = this.srtt === null ? this.initialMs : this.srtt + 4 * this.rttvar;
    return Math.min(this.maxMs, Math.max(this.minMs, raw));
  }
}

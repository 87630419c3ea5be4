// Retransmission timeout from measured round trips (RFC 6298 smoothing),
// kept between a floor and the scan's initial timeout.
export class RttEstimator {
  #srtt = -1;
  #rttvar = 0;

  constructor(
    readonly initialMs: number,
    readonly floorMs: number,
  ) {}

  sample(ms: number): void {
    if (this.#srtt < 0) {
      this.#srtt = ms;
      this.#rttvar = ms / 2;
      return;
    }
    this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - ms);
    this.#srtt = 0.875 * this.#srtt + 0.125 * ms;
  }

  get timeoutMs(): number {
    if (this.#srtt < 0) return this.initialMs;
    return Math.min(this.initialMs, Math.max(this.floorMs, this.#srtt + 4 * this.#rttvar));
  }

  get smoothedMs(): number | null {
    return this.#srtt < 0 ? null : this.#srtt;
  }
}

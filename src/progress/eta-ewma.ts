import type { EtaEstimator, EtaInput } from "./eta-types.ts";
import { RateEwma } from "./rate-ewma.ts";

/** Remaining work over the EWMA (α = 0.2, 1 s samples) of the overall rate: reacts to rate changes. */
export class EwmaEta implements EtaEstimator {
  readonly method = "ewma";
  private readonly rate: RateEwma;

  constructor(alpha = 0.2, intervalSeconds = 1) {
    this.rate = new RateEwma(alpha, intervalSeconds);
  }

  observe({ t, overall }: EtaInput): void {
    this.rate.observe(t, overall);
  }

  remaining({ t, overall }: EtaInput): number {
    const r = this.rate.rate(t);
    if (r === null) return Number.NaN;
    return r > 0 ? (1 - overall) / r : Number.POSITIVE_INFINITY;
  }
}

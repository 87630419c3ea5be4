import type { EtaEstimator, EtaInput } from "./eta-types.ts";

/** Remaining work over the average rate so far: `t·(1-p)/p`. Steady, slow to react. */
export class LinearEta implements EtaEstimator {
  readonly method = "linear";

  observe(_input: EtaInput): void {}

  remaining({ t, overall }: EtaInput): number {
    return overall > 0 ? (t * (1 - overall)) / overall : Number.NaN;
  }
}

import { EwmaEta } from "./eta-ewma.ts";
import { LinearEta } from "./eta-linear.ts";
import { MultiStageEta } from "./eta-multistage.ts";
import { ETA_LIMITS, type EtaEstimator, type EtaMethod } from "./eta-types.ts";

export type EtaReading =
  | { readonly state: "estimating" }
  | { readonly state: "unknown" }
  /** The scan is paused: no time left can be told until it resumes. */
  | { readonly state: "paused" }
  /** The scan was cancelled: nothing is left to wait for. */
  | { readonly state: "cancelled" }
  | { readonly state: "known"; readonly seconds: number };

export const ESTIMATING: EtaReading = { state: "estimating" };
export const UNKNOWN: EtaReading = { state: "unknown" };
export const PAUSED: EtaReading = { state: "paused" };
export const CANCELLED: EtaReading = { state: "cancelled" };

export { ETA_LIMITS };

/**
 * The sanity rules users of other scanners ask for: no ETA while there is too
 * little to go on, "unknown" rather than an absurd or non-finite number, and
 * zero once everything is done.
 */
export function saneEta(raw: number, t: number, overall: number): EtaReading {
  if (overall >= 1) return { state: "known", seconds: 0 };
  if (overall < ETA_LIMITS.minFraction || t < ETA_LIMITS.minSeconds) return ESTIMATING;
  if (!Number.isFinite(raw) || raw < -1) return UNKNOWN;
  if (raw > ETA_LIMITS.maxSeconds || raw > ETA_LIMITS.maxRatio * Math.max(t, 1)) return UNKNOWN;
  return { state: "known", seconds: Math.max(0, raw) };
}

export function createEstimator(method: EtaMethod): EtaEstimator {
  switch (method) {
    case "linear":
      return new LinearEta();
    case "ewma":
      return new EwmaEta();
    case "multi":
      return new MultiStageEta();
  }
}

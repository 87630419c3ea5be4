import type { StageState } from "./stages.ts";

export type EtaMethod = "linear" | "ewma" | "multi";

/** One stage as the estimators see it; times are active seconds (pauses removed) since ScanStarted. */
export interface StageTiming {
  readonly state: StageState;
  /** Share of the scan, re-normalised over the stages that run. */
  readonly weight: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** The stage's own progress, 0..1. */
  readonly fraction: number;
  /**
   * Seconds the whole stage takes at the rate it sends at, from its size:
   * the port scan's probes (ProgressUpdate `total`) over its own `pps`. Null
   * where units are not probes (discovery's hosts, detection's ports) or
   * nothing was measured yet.
   */
  readonly sizedSeconds?: number | null;
}

export interface EtaInput {
  /** Active seconds since the scan started. */
  readonly t: number;
  /** Overall progress, 0..1, weighted over stages. */
  readonly overall: number;
  /** Current stage 1..5, 0 before the first. */
  readonly stage: number;
  readonly stages: readonly StageTiming[];
}

/**
 * An ETA algorithm. `observe` is fed every progress sample in time order;
 * `remaining` answers raw seconds (possibly NaN or Infinity) at any later `t`,
 * and the sanity rules in eta.ts decide what the user sees.
 */
export interface EtaEstimator {
  readonly method: EtaMethod;
  observe(input: EtaInput): void;
  remaining(input: EtaInput): number;
}

/** Nothing before 1% or 2 s; beyond a week, or 500x the time spent so far, is no estimate. */
export const ETA_LIMITS = { minFraction: 0.01, minSeconds: 2, maxSeconds: 7 * 86_400, maxRatio: 500 } as const;

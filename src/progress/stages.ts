import type { StageName } from "../events/index.ts";

export const STAGE_NAMES: readonly StageName[] = [
  "TargetResolution",
  "HostDiscovery",
  "PortScanning",
  "ServiceDetection",
  "Finalization",
];

export const STAGE_LABELS: Readonly<Record<StageName, string>> = {
  TargetResolution: "Target Resolution",
  HostDiscovery: "Host Discovery",
  PortScanning: "Port Scanning",
  ServiceDetection: "Service Detection",
  Finalization: "Finalization",
};

/**
 * Typical share of a scan's wall time spent in each stage. The port scan
 * dominates; service detection is the next largest when -sV is on. They only
 * need to be roughly right: the multi-stage ETA rescales them with the time
 * the finished stages really took.
 */
export const DEFAULT_STAGE_WEIGHTS: readonly number[] = [0.02, 0.08, 0.65, 0.22, 0.03];

export type StageState = "pending" | "active" | "done" | "skipped";

export function stageNumber(name: StageName): number {
  return STAGE_NAMES.indexOf(name) + 1;
}

/** The weights of the stages that run, re-normalised to sum to 1 (skipped stages get 0). */
export function normalisedWeights(weights: readonly number[], states: readonly StageState[]): number[] {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) if (states[i] !== "skipped") sum += weights[i]!;
  return weights.map((w, i) => (states[i] === "skipped" || sum === 0 ? 0 : w / sum));
}

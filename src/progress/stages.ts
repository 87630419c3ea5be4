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
 * Typical share of a scan's wall time spent in each stage: the shares prtip's
 * engine gives the stages in its own scan-wide percentage (src/scan/progress-meter.ts),
 * so the display and the log's ProgressUpdate agree. Recorded lab scans
 * (scripts/bench-progress.ts --lab) bear them out: resolution and finalization
 * take no measurable time, and with the earlier guesses (service detection 22%,
 * finalization 3%) the multi-stage ETA charged a scan without open ports for
 * seconds of work that never came. The multi-stage ETA still rescales them with
 * the time the finished stages really took, and service detection's own rate
 * takes over as soon as it starts.
 */
export const DEFAULT_STAGE_WEIGHTS: readonly number[] = [0.02, 0.08, 0.85, 0.04, 0.01];

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

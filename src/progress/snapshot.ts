import type { StageName } from "../events/index.ts";
import type { Clock } from "../runtime/capabilities.ts";
import type { EtaAccuracy } from "./accuracy.ts";
import type { EtaReading } from "./eta.ts";
import type { EtaMethod } from "./eta-types.ts";
import type { StageState } from "./stages.ts";

export type ScanStatus = "waiting" | "running" | "paused" | "completed" | "cancelled";

export interface TrackerOptions {
  clock: Clock;
  eta?: EtaMethod;
  /** Stages the scan will not run (-Pn: HostDiscovery; no -sV: ServiceDetection). */
  skipStages?: readonly StageName[];
  weights?: readonly number[];
}

export interface StageView {
  readonly name: StageName;
  readonly state: StageState;
  /** 0..100, never decreasing. */
  readonly percent: number;
  /** Active seconds spent in the stage so far, or null before it starts. */
  readonly seconds: number | null;
}

export interface ProgressSnapshot {
  readonly scanId: string | null;
  readonly scanType: string | null;
  readonly targetCount: number;
  readonly portCount: number;
  readonly status: ScanStatus;
  /** Seconds since ScanStarted, pauses included. */
  readonly elapsed: number;
  readonly stage: number;
  readonly stages: readonly StageView[];
  /** Overall, 0..100, never decreasing, weighted over stages. */
  readonly percent: number;
  readonly completed: number;
  readonly total: number;
  readonly pps: number;
  readonly portsPerSec: number;
  readonly hostsPerMin: number;
  readonly bandwidthBps: number;
  readonly eta: EtaReading;
  /** The current stage's own time left, at its average rate. */
  readonly stageEta: EtaReading;
  readonly accuracy: EtaAccuracy;
  readonly hostsUp: number;
  readonly openPorts: number;
}

import type { ProgressSnapshot, StageView } from "../../src/progress/index.ts";
import { STAGE_NAMES } from "../../src/progress/index.ts";

const states: StageView["state"][] = ["done", "done", "active", "pending", "pending"];
const percents = [100, 100, 87.4, 0, 0];

/** A scan in stage 3 at 87.4%, 52% overall, ETA 3m 24s, 1,240 pps, 42 hpm. */
export function snapshot(over: Partial<ProgressSnapshot> = {}): ProgressSnapshot {
  return {
    scanId: "1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a",
    scanType: "Syn",
    targetCount: 256,
    portCount: 1000,
    status: "running",
    elapsed: 62,
    stage: 3,
    stages: STAGE_NAMES.map((name, i) => ({ name, state: states[i]!, percent: percents[i]!, seconds: i < 3 ? 10 * (i + 1) : null })),
    percent: 52,
    completed: 2340,
    total: 2700,
    pps: 1240,
    portsPerSec: 1240,
    hostsPerMin: 42,
    bandwidthBps: 1_600_000,
    eta: { state: "known", seconds: 204 },
    stageEta: { state: "known", seconds: 30 },
    accuracy: "on-track",
    hostsUp: 100,
    openPorts: 12,
    ...over,
  };
}

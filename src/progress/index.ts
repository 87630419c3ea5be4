// Public entry of the progress displays: everything here subscribes to the bus,
// so a live scan and `prtip log replay` drive the same code.
export { attachProgress, progressMode } from "./attach.ts";
export type { ProgressHandle, ProgressIo, ProgressMode, ProgressOptions } from "./attach.ts";
export { ProgressTracker } from "./tracker.ts";
export type { ProgressSnapshot, ScanStatus, StageView, TrackerOptions } from "./tracker.ts";
export { createEstimator, saneEta, ETA_LIMITS } from "./eta.ts";
export type { EtaReading } from "./eta.ts";
export type { EtaEstimator, EtaInput, EtaMethod, StageTiming } from "./eta-types.ts";
export { LinearEta } from "./eta-linear.ts";
export { EwmaEta } from "./eta-ewma.ts";
export { MultiStageEta } from "./eta-multistage.ts";
export { RateEwma } from "./rate-ewma.ts";
export { AccuracyMeter } from "./accuracy.ts";
export type { EtaAccuracy } from "./accuracy.ts";
export { compactLine, detailedLine, barLines, plainLine, styleLines, etaText } from "./render-lines.ts";
export type { Room } from "./render-lines.ts";
export type { ProgressStyle } from "./render-lines.ts";
export { StatusDisplay } from "./status-display.ts";
export type { StatusDisplayOptions } from "./status-display.ts";
export { timerScheduler } from "./scheduler.ts";
export type { Scheduler } from "./scheduler.ts";
export { GateControl } from "./gate-control.ts";
export type { GateHooks } from "./gate-control.ts";
export { STAGE_NAMES, STAGE_LABELS, DEFAULT_STAGE_WEIGHTS, normalisedWeights } from "./stages.ts";
export { formatCount, formatDuration, formatElapsed, formatClock, formatBandwidth, bar } from "./format.ts";
export { textWidth, fitWidth } from "./text-width.ts";
export { Dashboard } from "./tui/index.ts";

import type { AnyEvent, ScanEvent } from "../events/index.ts";
import { isKnownEvent } from "../events/index.ts";
import type { Clock } from "../runtime/capabilities.ts";
import { AccuracyMeter } from "./accuracy.ts";
import { CANCELLED, PAUSED, createEstimator, saneEta } from "./eta.ts";
import type { EtaReading } from "./eta.ts";
import type { EtaEstimator, EtaInput, StageTiming } from "./eta-types.ts";
import { PortTable, RateHistory, WarningLog } from "./results.ts";
import type { ProgressSnapshot, ScanStatus, TrackerOptions } from "./snapshot.ts";
import { stageFractionOf } from "../scan/progress-meter.ts";
import { DEFAULT_STAGE_WEIGHTS, STAGE_NAMES, normalisedWeights, stageNumber } from "./stages.ts";
import type { StageState } from "./stages.ts";

export type { ProgressSnapshot, ScanStatus, StageView, TrackerOptions } from "./snapshot.ts";

interface StageRecord {
  state: StageState;
  fraction: number;
  startedAt: number | null;
  endedAt: number | null;
  /** The stage's size and send rate, from its own ProgressUpdates. */
  units: number;
  pps: number;
}

/** The port scan's units are probes (one first attempt per port): its size over its send rate is a duration. */
const SIZED_STAGE = 3;

function sizedSeconds(stage: number, s: StageRecord): number | null {
  return stage === SIZED_STAGE && s.units > 0 && s.pps > 0 ? s.units / s.pps : null;
}

/**
 * The stage's own progress, read back from `percentage`, which is the whole
 * scan's in prtip's engine (each stage has its span, STAGE_START). Not
 * `completed`/`total`: those count the stage's finished units only (ports with
 * their final state), while the percentage also counts the probes already sent
 * and, in service detection, the time already waited, so a scan where nothing
 * answers yet still moves.
 */
function stageFraction(e: Extract<ScanEvent, { event: "ProgressUpdate" }>): number {
  return stageFractionOf(e.stage, e.percentage);
}

/** Targets remembered for -Pn's host count while the scan runs; ScanCompleted brings the exact count. */
const MAX_TARGETS_SEEN = 1 << 16;

/**
 * Everything the progress displays know, built from bus events alone so that
 * a live scan and a replayed log look the same. Times follow the events'
 * timestamps (extrapolated with the clock between events), so a replay shows
 * the recorded scan's own pace.
 */
export class ProgressTracker {
  /** Bumped on every change a display would show. */
  version = 0;
  eventsSeen = 0;
  /** Events missing between consecutive seqs: a subscriber that lost events would see gaps. */
  seqGaps = 0;
  scanId: string | null = null;
  scanType: string | null = null;
  targetCount = 0;
  portCount = 0;
  status: ScanStatus = "waiting";
  readonly ports = new PortTable();
  readonly warnings = new WarningLog();
  readonly ppsHistory = new RateHistory(60);
  readonly estimator: EtaEstimator;
  private readonly accuracy = new AccuracyMeter();
  private readonly clock: Clock;
  private readonly weights: readonly number[];
  private readonly stages: StageRecord[];
  private stage = 0;
  private overall = 0;
  private lastSeq = 0;
  private startedAt: number | null = null;
  private lastEventAt = 0;
  private clockAtLastEvent = 0;
  private pausedAt: number | null = null;
  private pausedTotal = 0;
  private completed = 0;
  private total = 0;
  private pps = 0;
  private portsPerSec = 0;
  private hostsPerMin = 0;
  private bandwidthBps = 0;
  private hostsUp = 0;
  /** With -Pn (discovery skipped) every target scanned is up, as the report says: those seen so far. */
  private readonly targetsSeen = new Set<string>();

  constructor(options: TrackerOptions) {
    this.clock = options.clock;
    this.weights = options.weights ?? DEFAULT_STAGE_WEIGHTS;
    this.estimator = createEstimator(options.eta ?? "multi");
    const skip = new Set(options.skipStages ?? []);
    this.stages = STAGE_NAMES.map((name) => ({
      state: skip.has(name) ? "skipped" : "pending",
      fraction: 0,
      startedAt: null,
      endedAt: null,
      units: 0,
      pps: 0,
    }));
  }

  /** The bus listener. O(1) per event. */
  readonly handle = (e: AnyEvent): void => {
    this.eventsSeen++;
    if (typeof e.seq === "number") {
      if (this.lastSeq > 0 && e.seq > this.lastSeq + 1) this.seqGaps += e.seq - this.lastSeq - 1;
      if (e.seq > this.lastSeq) this.lastSeq = e.seq;
    }
    if (typeof e.timestamp === "number" && e.timestamp >= this.lastEventAt) {
      this.lastEventAt = e.timestamp;
      this.clockAtLastEvent = this.clock.now();
    }
    if (isKnownEvent(e)) this.apply(e);
  };

  private apply(e: ScanEvent): void {
    switch (e.event) {
      case "ScanStarted":
        this.scanId = e.scan_id;
        this.scanType = e.scan_type;
        this.targetCount = e.target_count;
        this.portCount = e.port_count;
        this.startedAt = e.timestamp;
        this.status = "running";
        break;
      case "StageChanged":
        this.enterStage(stageNumber(e.to));
        this.sample();
        break;
      case "ProgressUpdate":
        this.progress(e);
        break;
      case "PortFound":
      case "IPv6PortFound":
        if (this.stages[1]!.state === "skipped" && !this.targetsSeen.has(e.target) && this.targetsSeen.size < MAX_TARGETS_SEEN) {
          this.targetsSeen.add(e.target);
          this.hostsUp++;
          this.version++;
        }
        if (e.state === "Open" || e.state === "OpenFiltered") this.ports.open(e.target, e.port, e.protocol, e.state);
        else return; // closed and filtered ports change nothing on screen
        break;
      case "HostDiscovered":
        this.hostsUp++;
        break;
      case "ServiceDetected":
        this.ports.service(e.target, e.port, e.service, e.version, e.confidence);
        break;
      case "BannerGrabbed":
        this.ports.banner(e.target, e.port, e.protocol, e.banner);
        break;
      case "WarningIssued":
        this.warnings.add({ at: e.timestamp, severity: e.severity, code: e.code, message: e.message });
        break;
      case "ScanPaused":
        if (this.status === "running") {
          this.status = "paused";
          this.pausedAt = e.timestamp;
          this.stopRates(); // sending stopped at once; no decaying average
        }
        break;
      case "ScanResumed":
        if (this.status === "paused") {
          this.pausedTotal += e.timestamp - (this.pausedAt ?? e.timestamp);
          this.pausedAt = null;
          this.status = "running";
        }
        break;
      case "ScanCompleted":
        this.hostsUp = e.hosts_up; // the report's own count
        this.finish("completed");
        this.overall = 1;
        for (const s of this.stages) if (s.state === "done") s.fraction = 1;
        break;
      case "ScanCancelled":
        // Frozen where it stopped: no stage is completed, nothing is sent any more.
        this.finish("cancelled");
        this.stopRates();
        break;
      default:
        return;
    }
    this.version++;
  }

  private progress(e: Extract<ScanEvent, { event: "ProgressUpdate" }>): void {
    if (e.stage > this.stage) this.enterStage(e.stage);
    if (e.stage === this.stage) {
      const s = this.stages[e.stage - 1]!;
      s.fraction = Math.max(s.fraction, stageFraction(e));
      s.units = e.total;
      if (e.pps > 0) s.pps = e.pps;
      this.completed = e.completed;
      this.total = e.total;
    }
    this.hostsPerMin = e.hosts_per_min;
    if (this.status === "running") {
      this.pps = e.pps;
      this.portsPerSec = e.ports_per_sec;
      this.bandwidthBps = e.bandwidth_bps;
    }
    if (this.startedAt !== null) this.ppsHistory.record(Math.floor((e.timestamp - this.startedAt) / 1000), e.pps);
    this.sample();
  }

  private stopRates(): void {
    this.pps = 0;
    this.portsPerSec = 0;
    this.bandwidthBps = 0;
  }

  private enterStage(k: number): void {
    if (k <= this.stage || k < 1 || k > 5) return;
    const t = this.activeSeconds();
    for (let i = 0; i < k - 1; i++) {
      const s = this.stages[i]!;
      if (s.state === "active") {
        s.state = "done";
        s.fraction = 1;
        s.endedAt = t;
      } else if (s.state === "pending") s.state = "skipped";
    }
    const next = this.stages[k - 1]!;
    // The engine passes through a stage it does not run (no -sV, -Pn): it stays skipped to the end.
    if (next.state !== "skipped") {
      next.state = "active";
      next.startedAt = t;
    }
    this.stage = k;
  }

  private finish(status: ScanStatus): void {
    if (this.status === "paused" && this.pausedAt !== null) this.pausedTotal += this.lastEventAt - this.pausedAt;
    this.pausedAt = null;
    const t = this.activeSeconds();
    if (status === "completed") {
      for (const s of this.stages) {
        if (s.state === "active") {
          s.state = "done";
          s.endedAt = t;
        } else if (s.state === "pending") s.state = "skipped";
      }
    }
    this.status = status;
  }

  /** Scan time in epoch ms: the last event's time, moved on by the clock while the scan runs. */
  private scanNow(): number {
    if (this.status !== "running") return this.lastEventAt;
    return this.lastEventAt + Math.max(0, this.clock.now() - this.clockAtLastEvent);
  }

  private activeSeconds(now = this.scanNow()): number {
    if (this.startedAt === null) return 0;
    const pausedNow = this.pausedAt !== null ? now - this.pausedAt : 0;
    return Math.max(0, (now - this.startedAt - this.pausedTotal - pausedNow) / 1000);
  }

  private etaInput(t: number): EtaInput {
    const w = normalisedWeights(this.weights, this.stages.map((s) => s.state));
    const timings: StageTiming[] = this.stages.map((s, i) => ({
      state: s.state,
      weight: w[i]!,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      fraction: s.fraction,
      sizedSeconds: sizedSeconds(i + 1, s),
    }));
    let overall = 0;
    for (let i = 0; i < timings.length; i++) {
      const s = timings[i]!;
      overall += s.weight * (s.state === "done" ? 1 : s.state === "active" ? s.fraction : 0);
    }
    this.overall = Math.min(1, Math.max(this.overall, overall));
    return { t, overall: this.overall, stage: this.stage, stages: timings };
  }

  private sample(): void {
    const input = this.etaInput(this.activeSeconds());
    this.estimator.observe(input);
    this.accuracy.record(input.t, saneEta(this.estimator.remaining(input), input.t, input.overall));
  }

  snapshot(): ProgressSnapshot {
    const now = this.scanNow();
    const t = this.activeSeconds(now);
    const input = this.etaInput(t);
    const eta = this.eta(input);
    return {
      scanId: this.scanId,
      scanType: this.scanType,
      targetCount: this.targetCount,
      portCount: this.portCount,
      status: this.status,
      elapsed: this.startedAt === null ? 0 : Math.max(0, (now - this.startedAt) / 1000),
      stage: this.stage,
      stages: this.stages.map((s, i) => ({
        name: STAGE_NAMES[i]!,
        state: s.state,
        percent: s.fraction * 100,
        seconds: s.startedAt === null ? null : (s.endedAt ?? t) - s.startedAt,
      })),
      percent: input.overall * 100,
      completed: this.completed,
      total: this.total,
      pps: this.pps,
      portsPerSec: this.portsPerSec,
      hostsPerMin: this.hostsPerMin,
      bandwidthBps: this.bandwidthBps,
      eta,
      stageEta: this.stageEta(t),
      accuracy: this.accuracy.judge(t, eta),
      hostsUp: this.hostsUp,
      openPorts: this.ports.rows.length,
    };
  }

  private eta(input: EtaInput): EtaReading {
    switch (this.status) {
      case "completed":
        return { state: "known", seconds: 0 };
      case "paused":
        return PAUSED;
      case "cancelled":
        return CANCELLED;
      default:
        return saneEta(this.estimator.remaining(input), input.t, input.overall);
    }
  }

  private stageEta(t: number): EtaReading {
    if (this.status === "paused") return PAUSED;
    if (this.status === "cancelled") return CANCELLED;
    const s = this.stages[this.stage - 1];
    if (s === undefined || s.startedAt === null || s.state !== "active") return { state: "known", seconds: 0 };
    const e = t - s.startedAt;
    return saneEta(s.fraction > 0 ? (e * (1 - s.fraction)) / s.fraction : Number.NaN, e, s.fraction);
  }

  /** Seconds of scan time since ScanStarted, for the sparkline's window. */
  scanSecond(): number {
    return this.startedAt === null ? 0 : Math.floor((this.scanNow() - this.startedAt) / 1000);
  }
}

import type { FieldsOf, StageName } from "../events/index.ts";

// Turns the engine's counters into ProgressUpdate fields. The percentage is the
// whole scan's, weighted by stage, and never moves backwards; rates come from a
// sliding window of the last 2 s of samples.

export const STAGES: readonly StageName[] = [
  "TargetResolution",
  "HostDiscovery",
  "PortScanning",
  "ServiceDetection",
  "Finalization",
];

/** Share of the whole scan at which each stage starts; the last entry is 100%. */
const STAGE_START = [0, 2, 10, 95, 99, 100];
const WINDOW_MS = 2000;
/** Bytes on the wire per probe, estimated: a TCP SYN with options over Ethernet. */
const BYTES_PER_PACKET = 74;

interface Sample {
  at: number;
  sent: number;
  done: number;
}

export class ProgressMeter {
  private stage = 1;
  private completed = 0;
  private total = 0;
  private lastPercent = 0;
  private samples: Sample[] = [];
  /** Ports per host in the port scan, to express rates as hosts. */
  portsPerHost = 1;

  /** A new stage begins at `now` with `sent` packets so far: the first rates are measured from here. */
  enter(stage: number, total: number, now: number, sent: number): void {
    this.stage = stage;
    this.total = total;
    this.completed = 0;
    this.samples = [{ at: now, sent, done: 0 }];
  }

  /** `completed` units of the current stage are done (clamped to the total). */
  set(completed: number): void {
    this.completed = Math.min(completed, this.total);
  }

  finish(): void {
    this.stage = 5;
    this.total = Math.max(this.total, 1);
    this.completed = this.total;
    this.lastPercent = 100;
  }

  /** The fields of a ProgressUpdate at time `now` (ms) with `sent` packets so far. */
  snapshot(now: number, sent: number): FieldsOf<"ProgressUpdate"> {
    this.samples.push({ at: now, sent, done: this.completed });
    while (this.samples.length > 2 && now - this.samples[1]!.at >= WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const spanS = (now - first.at) / 1000;
    const pps = spanS > 0 ? (sent - first.sent) / spanS : 0;
    const doneRate = spanS > 0 ? (this.completed - first.done) / spanS : 0;
    const inPorts = this.stage === 3;
    const start = STAGE_START[this.stage - 1]!;
    const end = STAGE_START[this.stage]!;
    const fraction = this.total > 0 ? this.completed / this.total : 0;
    const percent = Math.min(100, Math.max(this.lastPercent, start + (end - start) * fraction));
    this.lastPercent = percent;
    const remaining = this.total - this.completed;
    return {
      stage: this.stage,
      percentage: Math.round(percent * 100) / 100,
      completed: this.completed,
      total: this.total,
      pps: Math.round(pps),
      ports_per_sec: inPorts ? Math.round(doneRate) : 0,
      hosts_per_min: Math.round((inPorts ? doneRate / this.portsPerHost : this.stage === 2 ? doneRate : 0) * 60 * 100) / 100,
      bandwidth_bps: Math.round(pps * BYTES_PER_PACKET * 8),
      eta_seconds: remaining === 0 ? 0 : doneRate > 0 ? Math.round((remaining / doneRate) * 10) / 10 : null,
    };
  }
}

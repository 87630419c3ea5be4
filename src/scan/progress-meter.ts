import type { FieldsOf, StageName } from "../events/index.ts";

// Turns the engine's counters into ProgressUpdate fields. The percentage is the
// whole scan's, weighted by stage, and never moves backwards; rates come from a
// sliding window of the last 2 s of active (unpaused) samples.

export const STAGES: readonly StageName[] = [
  "TargetResolution",
  "HostDiscovery",
  "PortScanning",
  "ServiceDetection",
  "Finalization",
];

/** Share of the whole scan at which each stage starts; the last entry is 100%. */
export const STAGE_START: readonly number[] = [0, 2, 10, 95, 99, 100];

/**
 * A stage's own progress (0..1) read back from a scan-wide ProgressUpdate
 * percentage: the displays use it, since `completed`/`total` count only the
 * stage's finished units (ports resolved), not the probes already sent or the
 * time already waited that the percentage includes.
 */
export function stageFractionOf(stage: number, percentage: number): number {
  const start = STAGE_START[stage - 1];
  const end = STAGE_START[stage];
  if (start === undefined || end === undefined) return 0;
  return Math.min(1, Math.max(0, (percentage - start) / (end - start)));
}

const WINDOW_MS = 2000;
/** Bytes on the wire per probe, estimated: a TCP SYN with options over Ethernet. */
const BYTES_PER_PACKET = 74;
/** Time alone never takes a stage past this share: only finished units complete it. */
const TIME_CAP = 0.95;
const MAX_HOSTS_TRACKED = 1 << 16;

interface Sample {
  at: number;
  sent: number;
  /** The stage's fraction then. */
  f: number;
}

export class ProgressMeter {
  private stage = 1;
  private completed = 0;
  private total = 0;
  private issuedCount = 0;
  private lastPercent = 0;
  private samples: Sample[] = [];
  private stageStartedAt = 0;
  private stageSent = 0;
  private expectedMs = 0;
  private tailMs = 0;
  private allSentAt: number | null = null;
  private pausedAt: number | null = null;
  private pausedMs = 0;
  private firstAt: number | null = null;
  private hostsFinished = 0;
  private readonly hostResults = new Map<string, number>();
  /** Ports per host in the port scan, to tell when a host is finished. */
  portsPerHost = 1;

  /** A new stage begins at `now` with `sent` packets so far: the first rates are measured from here. */
  enter(stage: number, total: number, now: number, sent: number): void {
    this.firstAt ??= now;
    this.stage = stage;
    this.total = total;
    this.completed = 0;
    this.issuedCount = 0;
    this.expectedMs = 0;
    this.tailMs = 0;
    this.allSentAt = null;
    this.stageStartedAt = now;
    this.stageSent = sent;
    this.samples = [{ at: now, sent, f: 0 }];
  }

  /** `completed` units of the current stage are done (clamped to the total). */
  set(completed: number): void {
    this.completed = Math.min(completed, this.total);
  }

  /**
   * Port scan: the technique has taken `n` probes (first attempts) by `now`.
   * Sending is half of a port's progress and its answer (or final timeout) the
   * other half, so a scan where nothing answers moves while it sends. A probe
   * taken may still wait for the rate cap, and packets sent include retries:
   * the lesser of the two counts as sent.
   */
  issued(n: number): void {
    this.issuedCount = Math.min(n, this.total);
  }

  /** Port scan: the longest the answers can take after the last probe (ms). */
  tail(ms: number): void {
    this.tailMs = ms;
  }

  /**
   * Service detection: the stage should take about `ms` of active time. Its
   * ports often finish together at the end (all waiting out the same probe
   * timeouts), so until they do the time spent moves the stage, up to 95%.
   */
  expect(ms: number): void {
    this.expectedMs = ms;
  }

  /**
   * A port of `target` got its final state: counts the host finished once all
   * its ports have. Only hosts with answers pending are kept, and at most 64 Ki
   * of them (a huge interleaved scan then counts none until its hosts finish).
   */
  hostResult(target: string): void {
    if (this.portsPerHost <= 1) {
      this.hostsFinished++;
      return;
    }
    const had = this.hostResults.get(target);
    if (had === undefined && this.hostResults.size >= MAX_HOSTS_TRACKED) return;
    const n = (had ?? 0) + 1;
    if (n >= this.portsPerHost) {
      this.hostResults.delete(target);
      this.hostsFinished++;
    } else this.hostResults.set(target, n);
  }

  pause(now: number): void {
    this.pausedAt ??= now;
  }

  /** Paused time is taken out of the rate window and the stage's clock: it is no slowness. */
  resume(now: number): void {
    if (this.pausedAt === null) return;
    const ms = now - this.pausedAt;
    this.pausedAt = null;
    this.pausedMs += ms;
    for (const s of this.samples) s.at += ms;
    this.stageStartedAt += ms;
    if (this.allSentAt !== null) this.allSentAt += ms;
  }

  finish(): void {
    this.stage = 5;
    this.total = Math.max(this.total, 1);
    this.completed = this.total;
    this.lastPercent = 100;
  }

  /** The stage's own progress at `now`, 0..1. */
  private fraction(now: number, sent: number): number {
    if (this.total <= 0) return 0;
    const done = this.completed / this.total;
    if (this.stage === 3) return Math.max(done, (Math.min(this.issuedCount, sent - this.stageSent) / this.total + done) / 2);
    if (this.stage === 4 && this.expectedMs > 0 && done < 1) {
      const active = (this.pausedAt ?? now) - this.stageStartedAt;
      return Math.max(done, Math.min(TIME_CAP, active / this.expectedMs));
    }
    return done;
  }

  /** The fields of a ProgressUpdate at time `now` (ms) with `sent` packets so far. */
  snapshot(now: number, sent: number): FieldsOf<"ProgressUpdate"> {
    const paused = this.pausedAt !== null;
    const f = this.fraction(now, sent);
    // While paused nothing is sent and no time passes for the rates: no sample.
    if (!paused) this.samples.push({ at: now, sent, f });
    // Every probe has gone out (not only been taken): the wait for the answers left is bounded from here.
    if (this.stage === 3 && this.allSentAt === null && this.total > 0 && this.issuedCount === this.total && sent - this.stageSent >= this.total) {
      this.allSentAt = now;
    }
    while (this.samples.length > 2 && now - this.samples[1]!.at >= WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const spanS = (now - first.at) / 1000;
    const pps = !paused && spanS > 0 ? (sent - first.sent) / spanS : 0;
    const fRate = !paused && spanS > 0 ? (f - first.f) / spanS : 0;
    const start = STAGE_START[this.stage - 1]!;
    const end = STAGE_START[this.stage]!;
    const percent = Math.min(100, Math.max(this.lastPercent, start + (end - start) * f));
    this.lastPercent = percent;
    const activeMin = this.firstAt === null ? 0 : (now - this.firstAt - this.pausedMs - (paused ? now - this.pausedAt! : 0)) / 60_000;
    return {
      stage: this.stage,
      percentage: Math.round(percent * 100) / 100,
      completed: this.completed,
      total: this.total,
      pps: Math.round(pps),
      ports_per_sec: !paused && this.stage === 3 && spanS > 0 ? Math.round(((f - first.f) * this.total) / spanS) : 0,
      // Hosts whose every port has its answer, per minute of the scan so far: a count, not a projection.
      hosts_per_min: activeMin > 0 ? Math.round((this.hostsFinished / activeMin) * 100) / 100 : 0,
      bandwidth_bps: Math.round(pps * BYTES_PER_PACKET * 8),
      eta_seconds: paused ? null : this.eta(now, f, fRate),
    };
  }

  /** Seconds left in the stage at the recent pace; after the last probe, no more than the answers can take. */
  private eta(now: number, f: number, fRate: number): number | null {
    if (this.completed >= this.total) return 0;
    let eta = fRate > 0 ? (1 - f) / fRate : null;
    if (this.stage === 3 && this.allSentAt !== null && this.tailMs > 0) {
      const bound = Math.max(0, this.tailMs - (now - this.allSentAt)) / 1000;
      eta = eta === null ? bound : Math.min(eta, bound);
    }
    return eta === null ? null : Math.round(eta * 10) / 10;
  }
}

import { ETA_LIMITS, type EtaEstimator, type EtaInput, type StageTiming } from "./eta-types.ts";
import { RateEwma } from "./rate-ewma.ts";

/**
 * The five stages at their typical share of the time (weights re-normalised
 * over the stages that run), put on the scan's own clock:
 *
 * - the current stage: its remaining fraction over its own rate (the mean of
 *   its EWMA rate and its average rate, so a rate change shows quickly while a
 *   stall or one noisy interval cannot swing the answer to extremes);
 * - stages still to come: their weight times the seconds per unit of weight
 *   this scan has shown so far, i.e. corrected by what the finished stages (and
 *   the current one) actually took.
 */
export class MultiStageEta implements EtaEstimator {
  readonly method = "multi";
  private readonly stageRate: RateEwma;
  private rateStage = 0;
  /** Times of the current stage's last two progress samples (active seconds). */
  private lastSampleAt: number | null = null;
  private sampleGap = 0;

  constructor(alpha = 0.2, intervalSeconds = 1) {
    this.stageRate = new RateEwma(alpha, intervalSeconds);
  }

  observe({ t, stage, stages }: EtaInput): void {
    const current = stages[stage - 1];
    if (current === undefined) return;
    if (stage !== this.rateStage) {
      this.stageRate.reset();
      this.rateStage = stage;
      this.lastSampleAt = null;
      this.sampleGap = 0;
    }
    if (this.lastSampleAt !== null && t > this.lastSampleAt) this.sampleGap = t - this.lastSampleAt;
    this.lastSampleAt = t;
    this.stageRate.observe(t, current.fraction);
  }

  remaining(input: EtaInput): number {
    const { t, stage, stages } = input;
    const current = stages[stage - 1];
    if (current === undefined || current.startedAt === null) return Number.NaN;
    const elapsedInStage = Math.max(0, t - current.startedAt);
    const f = current.fraction;

    let doneWeight = 0;
    let doneTime = 0;
    for (const s of stages) {
      if (s.state !== "done" || s.startedAt === null || s.endedAt === null) continue;
      doneWeight += s.weight;
      doneTime += s.endedAt - s.startedAt;
    }
    const seenWeight = doneWeight + current.weight * f;
    const secondsPerWeight = seenWeight > 0.005 ? (doneTime + elapsedInStage) / seenWeight : Number.NaN;

    const currentLeft = this.currentStageLeft(t, stage, f, elapsedInStage, current, doneTime, doneWeight);
    let futureWeight = 0;
    for (let i = stage; i < stages.length; i++) if (stages[i]!.state === "pending") futureWeight += stages[i]!.weight;
    if (futureWeight === 0) return currentLeft;
    return currentLeft + futureWeight * secondsPerWeight;
  }

  private currentStageLeft(
    t: number,
    stage: number,
    f: number,
    elapsed: number,
    current: StageTiming,
    doneTime: number,
    doneWeight: number,
  ): number {
    if (f >= 1) return 0;
    // The fraction is as of the stage's last sample: measure the average rate
    // there, not over the time since (that reads every moment between two
    // samples as a slowdown), then count the time since that sample as work
    // done, but no more than one usual sample interval, so a stall still shows.
    const sampledAt = this.rateStage === stage && this.lastSampleAt !== null ? this.lastSampleAt : t;
    const sampledElapsed = Math.max(0, sampledAt - (current.startedAt ?? 0));
    if (f >= 0.01 && elapsed >= 1 && sampledElapsed > 0) {
      // Rates are averaged, not times: a stall halves the rate used instead of
      // sending the estimate to infinity, and a real change shows within seconds.
      const average = f / sampledElapsed;
      const recent = this.stageRate.rate(t);
      const rate = recent === null ? average : (average + Math.max(0, recent)) / 2;
      const since = Math.min(Math.max(0, t - sampledAt), this.sampleGap);
      return Math.max(0, (1 - f) / rate - since);
    }
    // Too early in this stage to trust its own rate, but its size at the rate it
    // sends at is known (the port scan: probes over pps): that, not the pace of
    // discovery, which waits out timeouts and says nothing of the probe rate.
    if (current.sizedSeconds != null) return current.sizedSeconds * (1 - f);
    // Otherwise its weight at the scan's pace so far,
    // if the finished stages took long enough to be a pace (with -Pn they took milliseconds,
    // and a port scan of minutes read "ETA: 1s" until its first results came).
    return doneWeight > 0.005 && doneTime >= ETA_LIMITS.minSeconds ? current.weight * (1 - f) * (doneTime / doneWeight) : Number.NaN;
  }
}

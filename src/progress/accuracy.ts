import type { EtaReading } from "./eta.ts";

export type EtaAccuracy = "on-track" | "slow" | "very-slow" | "none";

/**
 * How well recent ETAs held: the finish time predicted `window` seconds ago
 * against the one predicted now. Running late by under 10% of what was then
 * left is on track, 10–25% slow, more is very slow (the design's green, yellow, red).
 */
export class AccuracyMeter {
  private readonly times: number[] = [];
  private readonly finishes: number[] = [];

  constructor(
    private readonly window = 10,
    private readonly capacity = 64,
  ) {}

  record(t: number, eta: EtaReading): void {
    if (eta.state !== "known") return;
    const last = this.times[this.times.length - 1];
    if (last !== undefined && t - last < 1) return;
    this.times.push(t);
    this.finishes.push(t + eta.seconds);
    if (this.times.length > this.capacity) {
      this.times.shift();
      this.finishes.shift();
    }
  }

  judge(t: number, eta: EtaReading): EtaAccuracy {
    if (eta.state !== "known") return "none";
    let i = -1;
    for (let k = this.times.length - 1; k >= 0; k--) {
      if (t - this.times[k]! >= this.window) {
        i = k;
        break;
      }
    }
    if (i < 0) return "none";
    const then = this.times[i]!;
    const predictedFinish = this.finishes[i]!;
    const late = (t + eta.seconds - predictedFinish) / Math.max(predictedFinish - then, 1);
    return late < 0.1 ? "on-track" : late < 0.25 ? "slow" : "very-slow";
  }
}

import { describe, expect, test } from "bun:test";
import { EwmaEta, LinearEta, MultiStageEta, normalisedWeights, saneEta, DEFAULT_STAGE_WEIGHTS } from "../../src/progress/index.ts";
import type { EtaEstimator, EtaInput, StageTiming } from "../../src/progress/index.ts";

/** A scan that is one stage: its fraction is the overall progress. */
function single(t: number, p: number): EtaInput {
  const stages: StageTiming[] = [{ state: "active", weight: 1, startedAt: 0, endedAt: null, fraction: p }];
  return { t, overall: p, stage: 1, stages };
}

/** Feed samples once a second from a progress curve and ask at `askAt`. */
function run(e: EtaEstimator, curve: (t: number) => number, until: number, askAt = until): number {
  for (let t = 0; t <= until; t++) e.observe(single(t, curve(t)));
  return e.remaining(single(askAt, curve(until)));
}

const relError = (got: number, want: number) => Math.abs(got - want) / want;

describe("ETA estimators on synthetic rate series", () => {
  const steady = (t: number) => t / 100;

  test("steady rate: linear, EWMA and multi-stage all give the true remaining time", () => {
    for (const e of [new LinearEta(), new EwmaEta(), new MultiStageEta()]) {
      expect(relError(run(e, steady, 50), 50)).toBeLessThan(0.01);
    }
  });

  test("step change: EWMA follows the new rate, linear lags, multi-stage sits in between", () => {
    // 1%/s until 40%, then 0.5%/s: at t=60 (50%) the truth is 100 s.
    const step = (t: number) => (t <= 40 ? t / 100 : 0.4 + 0.005 * (t - 40));
    const linear = run(new LinearEta(), step, 60);
    const ewma = run(new EwmaEta(), step, 60);
    const multi = run(new MultiStageEta(), step, 60);
    expect(relError(linear, 100)).toBeGreaterThan(0.3);
    expect(relError(ewma, 100)).toBeLessThan(0.05);
    expect(relError(multi, 100)).toBeLessThan(relError(linear, 100));
    expect(relError(multi, 100)).toBeGreaterThan(relError(ewma, 100));
  });

  test("EWMA samples at a fixed interval: extra samples inside one interval change nothing", () => {
    const a = new EwmaEta();
    const b = new EwmaEta();
    for (let t = 0; t <= 30; t++) {
      a.observe(single(t, t / 100));
      b.observe(single(t, t / 100));
      b.observe(single(t + 0.5, (t + 0.9) / 100)); // noise between the 1 s samples
    }
    expect(b.remaining(single(30, 0.3))).toBeCloseTo(a.remaining(single(30, 0.3)), 6);
  });

  test("stall: with no progress the EWMA rate decays until the ETA is unknown; linear grows", () => {
    const lin = new LinearEta();
    const ewma = new EwmaEta();
    for (const e of [lin, ewma]) for (let t = 0; t <= 50; t++) e.observe(single(t, t / 100));
    const before = saneEta(ewma.remaining(single(50, 0.5)), 50, 0.5);
    expect(before).toEqual({ state: "known", seconds: expect.closeTo(50, 1) });
    const later = ewma.remaining(single(60, 0.5));
    expect(later).toBeGreaterThan(200);
    expect(saneEta(ewma.remaining(single(120, 0.5)), 120, 0.5)).toEqual({ state: "unknown" });
    expect(lin.remaining(single(120, 0.5))).toBeCloseTo(120, 6);
  });

  test("skipped stages: weights are re-normalised over the stages that run", () => {
    const w = normalisedWeights(DEFAULT_STAGE_WEIGHTS, ["done", "skipped", "active", "skipped", "pending"]);
    expect(w[1]).toBe(0);
    expect(w[3]).toBe(0);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(w[2]! / w[0]!).toBeCloseTo(DEFAULT_STAGE_WEIGHTS[2]! / DEFAULT_STAGE_WEIGHTS[0]!, 12);
  });

  function stagedInput(
    t: number,
    states: StageTiming["state"][],
    times: [number | null, number | null][],
    fraction: number,
    stage: number,
  ): EtaInput {
    const w = normalisedWeights(DEFAULT_STAGE_WEIGHTS, states);
    const stages = states.map((state, i) => ({
      state,
      weight: w[i]!,
      startedAt: times[i]![0],
      endedAt: times[i]![1],
      fraction: state === "done" ? 1 : i === stage - 1 ? fraction : 0,
    }));
    let overall = 0;
    for (const s of stages) overall += s.weight * s.fraction;
    return { t, overall, stage, stages };
  }

  test("multi-stage: a skipped stage adds no time to the ETA", () => {
    // Resolution took 1 s; port scan half done after 20 s at a steady pace.
    const times: [number | null, number | null][] = [[0, 1], [null, null], [1, null], [null, null], [null, null]];
    const feed = (states: StageTiming["state"][]) => {
      const e = new MultiStageEta();
      for (let t = 1; t <= 21; t++) e.observe(stagedInput(t, states, times, (t - 1) / 40, 3));
      return e.remaining(stagedInput(21, states, times, 0.5, 3));
    };
    const withSv = feed(["done", "skipped", "active", "pending", "pending"]);
    const withoutSv = feed(["done", "skipped", "active", "skipped", "pending"]);
    // Without -sV: 20 s of port scan left plus finalization at the scan's pace.
    const w = normalisedWeights(DEFAULT_STAGE_WEIGHTS, ["done", "skipped", "active", "skipped", "pending"]);
    const perWeight = 21 / (w[0]! + w[2]! * 0.5);
    expect(withoutSv).toBeCloseTo(20 + w[4]! * perWeight, 6);
    // With -sV: service detection's weight too, at the (re-normalised) scan's pace.
    const ws = normalisedWeights(DEFAULT_STAGE_WEIGHTS, ["done", "skipped", "active", "pending", "pending"]);
    expect(withSv).toBeCloseTo(20 + (ws[3]! + ws[4]!) * (21 / (ws[0]! + ws[2]! * 0.5)), 6);
    expect(withSv).toBeGreaterThan(withoutSv);
  });

  test("multi-stage: stages still to come are scaled by what the finished stages took", () => {
    const at = (portScanEnd: number) => {
      const states: StageTiming["state"][] = ["done", "done", "done", "active", "pending"];
      const times: [number | null, number | null][] = [[0, 1], [1, 3], [3, portScanEnd], [portScanEnd, null], [null, null]];
      return new MultiStageEta().remaining(stagedInput(portScanEnd, states, times, 0, 4));
    };
    expect(at(43)).toBeGreaterThan(0);
    expect(at(83) / at(43)).toBeCloseTo(83 / 43, 6);
  });
});

test("multi-stage: a stage just begun after stages that took no time has no estimate yet, not one from their pace", () => {
  // -Pn: resolution took 5 ms and discovery was skipped; no port has a verdict yet.
  const states: StageTiming["state"][] = ["done", "skipped", "active", "pending", "pending"];
  const w = normalisedWeights(DEFAULT_STAGE_WEIGHTS, states);
  const stages = states.map((state, i) => ({ state, weight: w[i]!, startedAt: i === 0 ? 0 : i === 2 ? 0.005 : null, endedAt: i === 0 ? 0.005 : null, fraction: state === "done" ? 1 : 0 }));
  const input: EtaInput = { t: 3, overall: w[0]!, stage: 3, stages };
  expect(Number.isNaN(new MultiStageEta().remaining(input))).toBe(true);
});

describe("ETA sanity rules", () => {
  test("no ETA before 1% or before 2 s", () => {
    expect(saneEta(100, 10, 0.009)).toEqual({ state: "estimating" });
    expect(saneEta(100, 1.9, 0.5)).toEqual({ state: "estimating" });
    expect(saneEta(100, 2, 0.01)).toEqual({ state: "known", seconds: 100 });
  });

  test("absurd or non-finite values are unknown, not numbers", () => {
    expect(saneEta(Number.POSITIVE_INFINITY, 10, 0.5)).toEqual({ state: "unknown" });
    expect(saneEta(Number.NaN, 10, 0.5)).toEqual({ state: "unknown" });
    expect(saneEta(8 * 86_400, 100_000, 0.5)).toEqual({ state: "unknown" });
    expect(saneEta(10_000, 10, 0.5)).toEqual({ state: "unknown" });
  });

  test("a finished scan has zero left", () => {
    expect(saneEta(Number.NaN, 0, 1)).toEqual({ state: "known", seconds: 0 });
  });
});

test("multi-stage: a port scan just begun is sized by its probes at its send rate, not by discovery's pace", () => {
  // Discovery took 3 s waiting out ARP timeouts; the port scan is 0.5 s and 4% in,
  // 25,000 probes at 2,500 pps: about 10 s of it, not discovery's pace times its weight.
  const states: StageTiming["state"][] = ["done", "done", "active", "skipped", "pending"];
  const w = normalisedWeights(DEFAULT_STAGE_WEIGHTS, states);
  const times: [number | null, number | null][] = [[0, 0], [0, 3], [3, null], [null, null], [null, null]];
  const stages = (sized: number | null) =>
    states.map((state, i) => ({
      state,
      weight: w[i]!,
      startedAt: times[i]![0],
      endedAt: times[i]![1],
      fraction: state === "done" ? 1 : i === 2 ? 0.04 : 0,
      sizedSeconds: i === 2 ? sized : null,
    }));
  const input = (sized: number | null): EtaInput => ({ t: 3.5, overall: w[0]! + w[1]! + w[2]! * 0.04, stage: 3, stages: stages(sized) });
  const sized = new MultiStageEta().remaining(input(25_000 / 2_500));
  const fromPace = new MultiStageEta().remaining(input(null));
  const finalization = w[4]! * (3.5 / (w[0]! + w[1]! + w[2]! * 0.04));
  expect(sized).toBeCloseTo(10 * 0.96 + finalization, 6);
  expect(fromPace).toBeGreaterThan(2 * sized);
});

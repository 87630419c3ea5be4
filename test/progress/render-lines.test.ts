import { describe, expect, test } from "bun:test";
import { barLines, compactLine, detailedLine, plainLine } from "../../src/progress/index.ts";
import { snapshot } from "./snapshot-fixture.ts";

describe("progress line styles", () => {
  test("compact is the design's line exactly, with the scan's percent (52%), not the stage's (87%)", () => {
    expect(compactLine(snapshot())).toBe("[Stage 3/5] Port Scanning ▓▓▓▓▓░░░░░ 52% | ETA: 3m 24s");
  });

  test("compact's percent does not drop back to 0% when the next stage starts", () => {
    const stages = snapshot().stages.map((st, i) => ({ ...st, state: i < 3 ? "done" : st.state, percent: i < 3 ? 100 : 0 }) as const);
    expect(compactLine(snapshot({ stage: 4, stages, percent: 95.2 }))).toBe("[Stage 4/5] Service Detection ▓▓▓▓▓▓▓▓▓░ 95% | ETA: 3m 24s");
  });

  test("compact says estimating, unknown, paused and done instead of a number", () => {
    expect(compactLine(snapshot({ eta: { state: "estimating" } }))).toBe(
      "[Stage 3/5] Port Scanning ▓▓▓▓▓░░░░░ 52% | ETA: estimating",
    );
    expect(compactLine(snapshot({ eta: { state: "unknown" } }))).toEndWith("| ETA: unknown");
    expect(compactLine(snapshot({ status: "paused" }))).toEndWith("52% | Paused at 1m 02s");
    expect(compactLine(snapshot({ status: "completed" }))).toBe(
      "[Stage 3/5] Port Scanning ▓▓▓▓▓▓▓▓▓▓ 100% | Done in 1m 02s",
    );
    expect(compactLine(snapshot({ status: "waiting", stage: 0, percent: 0 }))).toBe(
      "[Stage -/5] Starting ░░░░░░░░░░ 0% | waiting for the scan to start",
    );
  });

  test("detailed colours the ETA by its recent accuracy, and not under NO_COLOR", () => {
    const rest = " | 1,240 pps | 42 hpm | 1.6 Mb/s";
    const head = "[Stage 3/5] Port Scanning 87.4% | Overall 52.0% | ";
    expect(detailedLine(snapshot(), true)).toBe(`${head}\x1b[32mETA: 3m 24s\x1b[0m${rest}`);
    expect(detailedLine(snapshot({ accuracy: "slow" }), true)).toBe(`${head}\x1b[33mETA: 3m 24s\x1b[0m${rest}`);
    expect(detailedLine(snapshot({ accuracy: "very-slow" }), true)).toBe(`${head}\x1b[31mETA: 3m 24s\x1b[0m${rest}`);
    expect(detailedLine(snapshot({ accuracy: "none" }), true)).toBe(`${head}ETA: 3m 24s${rest}`);
    expect(detailedLine(snapshot({ accuracy: "very-slow" }), false)).toBe(`${head}ETA: 3m 24s${rest}`);
  });

  test("bars: one line per stage, then the overall line", () => {
    const s = snapshot({
      stages: snapshot().stages.map((st, i) => (i === 3 ? { ...st, state: "active", percent: 10 } : st)),
    });
    expect(barLines(s).join("\n")).toBe(
      [
        "Stage 1: Target Resolution   ▓▓▓▓▓▓▓▓▓▓ 100%",
        "Stage 2: Host Discovery      ▓▓▓▓▓▓▓▓▓▓ 100%",
        "Stage 3: Port Scanning       ▓▓▓▓▓▓▓▓▓░  87%",
        "Stage 4: Service Detection   ▓░░░░░░░░░  10%",
        "Stage 5: Finalization        ░░░░░░░░░░   0%",
        "Overall ▓▓▓▓▓░░░░░ 52% | ETA: 3m 24s | 1,240 pps | 42 hpm",
      ].join("\n"),
    );
  });

  test("bars mark a skipped stage", () => {
    const s = snapshot({ stages: snapshot().stages.map((st, i) => (i === 1 ? { ...st, state: "skipped", percent: 0 } : st)) });
    expect(barLines(s)[1]).toBe("Stage 2: Host Discovery      skipped");
  });

  test("the plain line has no bar and no escapes", () => {
    expect(plainLine(snapshot())).toBe(
      "[Stage 3/5] Port Scanning 87% | Overall 52% | ETA: 3m 24s | 1,240 pps | 42 hpm | elapsed 1m 02s",
    );
  });
});

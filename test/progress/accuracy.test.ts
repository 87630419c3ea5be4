import { describe, expect, test } from "bun:test";
import { AccuracyMeter } from "../../src/progress/index.ts";

const known = (seconds: number) => ({ state: "known" as const, seconds });

describe("ETA accuracy (the detailed style's colour)", () => {
  test("a finish time that holds is on track; slipping 10-25% is slow; more is very slow", () => {
    const judge = (late: number) => {
      const m = new AccuracyMeter(10);
      // at t=0 the scan was predicted to end at t=100
      m.record(0, known(100));
      return m.judge(10, known(90 + late * 100));
    };
    expect(judge(0)).toBe("on-track");
    expect(judge(-0.3)).toBe("on-track");
    expect(judge(0.09)).toBe("on-track");
    expect(judge(0.1)).toBe("slow");
    expect(judge(0.24)).toBe("slow");
    expect(judge(0.25)).toBe("very-slow");
  });

  test("no verdict without an estimate from long enough ago", () => {
    const m = new AccuracyMeter(10);
    expect(m.judge(5, known(50))).toBe("none");
    m.record(0, known(100));
    expect(m.judge(5, known(95))).toBe("none");
    expect(m.judge(10, { state: "unknown" })).toBe("none");
  });
});

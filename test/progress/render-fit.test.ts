import { describe, expect, test } from "bun:test";
import { barLines, compactLine, detailedLine, formatElapsed, styleLines, textWidth } from "../../src/progress/index.ts";
import { snapshot } from "./snapshot-fixture.ts";

const WIDTHS = Array.from({ length: 120 }, (_, i) => i + 1);

describe("status lines narrower than the terminal", () => {
  test("at 39 and 40 columns the compact line keeps its percent and ETA, dropping the stage's name", () => {
    // The audit's scan: 37% with 13 s to go, in a 39-column terminal (38 usable) and a 40-column one.
    // The compact line shows the whole scan's percent (it never drops back at a stage change).
    const s = snapshot({ percent: 37, eta: { state: "known", seconds: 13 } });
    expect(compactLine(s, 38)).toBe("[Stage 3/5] ▓▓▓▓░░░░░░ 37% | ETA: 13s");
    expect(compactLine(s, 39)).toBe("[Stage 3/5] ▓▓▓▓░░░░░░ 37% | ETA: 13s");
    expect(compactLine(s, 36)).toBe("[Stage 3/5] 37% | ETA: 13s");
    expect(compactLine(snapshot({ status: "completed" }), 38)).toBe("[Stage 3/5] 100% | Done in 1m 02s");
  });

  test("the compact line never cuts a number: at any width it ends with the whole percent, or with the ETA", () => {
    for (const w of WIDTHS) {
      const line = compactLine(snapshot(), w);
      expect(textWidth(line)).toBeLessThanOrEqual(w);
      if (w >= 3) expect(line).toMatch(/(^|[ ░▓\]])52%( \| ETA: 3m 24s)?$/);
      if (w >= "52% | ETA: 3m 24s".length) expect(line).toEndWith("52% | ETA: 3m 24s");
    }
  });

  test("the detailed line drops bandwidth, then hpm, then pps, then the stage, and keeps overall percent and ETA last", () => {
    const s = snapshot();
    expect(detailedLine(s, false, 82)).toBe("[Stage 3/5] Port Scanning 87.4% | Overall 52.0% | ETA: 3m 24s | 1,240 pps | 42 hpm");
    expect(detailedLine(s, false, 73)).toBe("[Stage 3/5] Port Scanning 87.4% | Overall 52.0% | ETA: 3m 24s | 1,240 pps");
    expect(detailedLine(s, false, 72)).toBe("[Stage 3/5] Port Scanning 87.4% | Overall 52.0% | ETA: 3m 24s");
    expect(detailedLine(s, false, 60)).toBe("[Stage 3/5] 87.4% | Overall 52.0% | ETA: 3m 24s");
    expect(detailedLine(s, false, 46)).toBe("Overall 52.0% | ETA: 3m 24s");
    expect(detailedLine(s, false, 20)).toBe("Overall 52.0%");
    expect(detailedLine(s, false, 12)).toBe("");
  });

  test("a coloured ETA counts only its visible columns and is never cut inside its escape", () => {
    const line = detailedLine(snapshot(), true, 60);
    expect(line).toContain("\x1b[32mETA: 3m 24s\x1b[0m");
    expect(textWidth(line)).toBeLessThanOrEqual(60);
  });

  test("every style, at every width, fits without cutting a word or a number", () => {
    const full = [...styleLines("detailed", snapshot(), false), ...barLines(snapshot())].join(" ");
    const words = new Set(full.split(/[ |]+/));
    for (const w of WIDTHS) {
      for (const style of ["compact", "detailed", "bars"] as const) {
        for (const line of styleLines(style, snapshot(), false, { columns: w, rows: 30 })) {
          expect(textWidth(line)).toBeLessThanOrEqual(w);
          for (const word of line.split(/[ |]+/)) if (word !== "") expect(words.has(word) || /^[▓░]+$/.test(word)).toBe(true);
        }
      }
    }
  });

  test("a bar stage line loses its bar, then its name, and keeps its number and percent", () => {
    expect(barLines(snapshot(), { columns: 40, rows: 30 })[2]).toBe("Stage 3: Port Scanning        87%");
    expect(barLines(snapshot(), { columns: 20, rows: 30 })[2]).toBe("Stage 3:  87%");
    expect(barLines(snapshot(), { columns: 40, rows: 30 })[5]).toBe("Overall ▓▓▓▓▓░░░░░ 52% | ETA: 3m 24s");
  });
});

describe("bars in a short terminal", () => {
  test("with room for fewer lines than stages, the running stage and the overall line are shown", () => {
    expect(barLines(snapshot(), { columns: 80, rows: 4 })).toEqual([
      "Stage 3: Port Scanning       ▓▓▓▓▓▓▓▓▓░  87%",
      "Overall ▓▓▓▓▓░░░░░ 52% | ETA: 3m 24s | 1,240 pps | 42 hpm",
    ]);
  });

  test("with room for one line, the compact line", () => {
    expect(barLines(snapshot(), { columns: 80, rows: 1 })).toEqual(["[Stage 3/5] Port Scanning ▓▓▓▓▓░░░░░ 52% | ETA: 3m 24s"]);
  });

  test("before the scan starts a short terminal gets only the overall line", () => {
    expect(barLines(snapshot({ status: "waiting", stage: 0 }), { columns: 80, rows: 3 })).toEqual([
      "Overall ▓▓▓▓▓░░░░░ 52% | waiting for the scan to start | 1,240 pps | 42 hpm",
    ]);
  });
});

describe("elapsed time agrees with the report", () => {
  test("a scan the report says took 20.01 seconds is 'Done in 20s', not 21s; 0.00 seconds is 0s", () => {
    expect(formatElapsed(20.01)).toBe("20s");
    expect(formatElapsed(0.004)).toBe("0s");
    expect(formatElapsed(62.9)).toBe("1m 02s");
    expect(compactLine(snapshot({ status: "completed", elapsed: 20.01 }))).toEndWith("| Done in 20s");
    expect(compactLine(snapshot({ status: "cancelled", elapsed: 5.7 }))).toEndWith("| Cancelled after 5s");
  });
});

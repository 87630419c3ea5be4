import { describe, expect, test } from "bun:test";
import { bar, formatBandwidth, formatClock, formatCount, formatDuration, fitWidth, textWidth } from "../../src/progress/index.ts";

describe("progress text pieces", () => {
  test("counts get thousands separators", () => {
    expect(formatCount(1240)).toBe("1,240");
    expect(formatCount(42)).toBe("42");
    expect(formatCount(1_234_567.6)).toBe("1,234,568");
    expect(formatCount(-5)).toBe("0");
  });

  test("durations read like 3m 24s and round up", () => {
    expect(formatDuration(204)).toBe("3m 24s");
    expect(formatDuration(0.2)).toBe("1s");
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(3900)).toBe("1h 05m");
    expect(formatDuration(2 * 86_400 + 3 * 3600)).toBe("2d 03h");
    expect(formatClock(3723)).toBe("1:02:03");
    expect(formatClock(62)).toBe("1:02");
  });

  test("bars round to cells but only 100% fills the bar", () => {
    expect(bar(87)).toBe("▓▓▓▓▓▓▓▓▓░");
    expect(bar(52)).toBe("▓▓▓▓▓░░░░░");
    expect(bar(99.9)).toBe("▓▓▓▓▓▓▓▓▓░");
    expect(bar(100)).toBe("▓▓▓▓▓▓▓▓▓▓");
    expect(bar(0)).toBe("░░░░░░░░░░");
    expect(bar(150)).toBe("▓▓▓▓▓▓▓▓▓▓");
  });

  test("bandwidth in bits per second with a decimal prefix", () => {
    expect(formatBandwidth(999)).toBe("999 b/s");
    expect(formatBandwidth(1_600_000)).toBe("1.6 Mb/s");
  });

  test("width ignores colour escapes and counts wide characters twice", () => {
    expect(textWidth("\x1b[32mETA\x1b[0m")).toBe(3);
    expect(textWidth("端口")).toBe(4);
    expect(fitWidth("\x1b[32mabcdef\x1b[0m", 3)).toBe("\x1b[32mabc\x1b[0m");
    expect(fitWidth("端口x", 3)).toBe("端");
    expect(fitWidth("ab", 4, true)).toBe("ab  ");
  });
});

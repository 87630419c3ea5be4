import { describe, expect, test } from "bun:test";
import {
  checkPattern,
  expandHome,
  formatPattern,
  nameMatcher,
  periodEnd,
  periodStart,
  rotationPattern,
  withIndex,
} from "../../src/log/index.ts";

const T = Date.UTC(2024, 10, 15, 10, 30, 1, 123); // Friday 2024-11-15 10:30:01.123Z

describe("log path patterns", () => {
  test("~ expands to the home folder, ~user and inner ~ do not", () => {
    expect(expandHome("~/logs/scan.jsonl", "/home/ann")).toBe("/home/ann/logs/scan.jsonl");
    expect(expandHome("~", "/home/ann")).toBe("/home/ann");
    expect(expandHome("~bob/x", "/home/ann")).toBe("~bob/x");
    expect(expandHome("/var/~/x", "/home/ann")).toBe("/var/~/x");
  });

  test("%Y %m %d %H %M %S expand in UTC, %% is a percent sign", () => {
    expect(formatPattern("scan-%Y-%m-%d_%H%M%S-100%%.jsonl", T)).toBe("scan-2024-11-15_103001-100%.jsonl");
  });

  test("an unknown code or a lone % is rejected naming it", () => {
    expect(() => checkPattern("scan-%Q.jsonl")).toThrow('unknown code "%Q"');
    expect(() => checkPattern("scan-%")).toThrow('lone "%"');
    expect(() => checkPattern("scan-%Y%%.jsonl")).not.toThrow();
  });

  test("a path ending in .gz is refused: the log is plain, and its rotated files would be named NAME.1.gz.gz", () => {
    expect(() => checkPattern("logs/scans.jsonl.gz")).toThrow('invalid log path "logs/scans.jsonl.gz": it ends in ".gz"');
    expect(() => checkPattern("logs/scans.jsonl")).not.toThrow();
    expect(() => checkPattern("logs.gz/scans.jsonl")).not.toThrow();
  });

  test("hourly, daily and weekly periods start on the hour, the UTC day and Monday", () => {
    expect(new Date(periodStart("hourly", T)).toISOString()).toBe("2024-11-15T10:00:00.000Z");
    expect(new Date(periodStart("daily", T)).toISOString()).toBe("2024-11-15T00:00:00.000Z");
    expect(new Date(periodStart("weekly", T)).toISOString()).toBe("2024-11-11T00:00:00.000Z");
    expect(new Date(periodEnd("weekly", T)).toISOString()).toBe("2024-11-18T00:00:00.000Z");
    const monday = Date.UTC(2024, 10, 18);
    expect(periodStart("weekly", monday)).toBe(monday);
  });

  test("time rotation keeps a pattern with codes and adds a suffix before the extension otherwise", () => {
    expect(rotationPattern("/l/scan-%Y-%m-%d.jsonl", "daily")).toBe("/l/scan-%Y-%m-%d.jsonl");
    expect(rotationPattern("/l/scans.jsonl", "daily")).toBe("/l/scans-%Y-%m-%d.jsonl");
    expect(rotationPattern("/l/scans.jsonl", "hourly")).toBe("/l/scans-%Y-%m-%d-%H.jsonl");
    expect(rotationPattern("scans", "weekly")).toBe("scans-%Y-%m-%d");
    expect(rotationPattern("/l/scans.jsonl", "daily", "_%Y%m%d")).toBe("/l/scans_%Y%m%d.jsonl");
    expect(rotationPattern("/l/scans.jsonl", "size")).toBe("/l/scans.jsonl");
  });

  test("an index goes before the extension", () => {
    expect(withIndex("/l/scans.jsonl", 0)).toBe("/l/scans.jsonl");
    expect(withIndex("/l/scans.jsonl", 3)).toBe("/l/scans.3.jsonl");
  });

  test("the matcher recognises a pattern's files and orders them by time, then index", () => {
    const match = nameMatcher("/l/scan-%Y-%m-%d.jsonl");
    expect(match("scan-2024-11-15.jsonl")?.key).toEqual([2024, 11, 15, 0, 0, 0, 0]);
    expect(match("scan-2024-11-15.2.jsonl.gz")).toEqual({ plain: "scan-2024-11-15.2.jsonl", gz: true, key: [2024, 11, 15, 0, 0, 0, 2] });
    expect(match("scan-2024-11-15.jsonl.gz.tmp")).toBeNull();
    expect(match("other-2024-11-15.jsonl")).toBeNull();
    expect(match("scan-24-11-15.jsonl")).toBeNull();
  });
});

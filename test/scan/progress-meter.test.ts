import { describe, expect, test } from "bun:test";
import { ProgressMeter } from "../../src/scan/index.ts";

describe("progress meter", () => {
  test("rates over the window, hosts per minute from ports per host, ETA from the rate", () => {
    const m = new ProgressMeter();
    m.portsPerHost = 100;
    m.enter(3, 1000, 0, 0);
    m.set(250);
    const u = m.snapshot(500, 300);
    expect(u).toEqual({
      stage: 3,
      percentage: 31.25, // port scanning spans 10% to 95% of the scan: 10 + 85 * 0.25
      completed: 250,
      total: 1000,
      pps: 600,
      ports_per_sec: 500,
      hosts_per_min: 300,
      bandwidth_bps: 600 * 74 * 8,
      eta_seconds: 1.5,
    });
  });

  test("ETA is null until something completes", () => {
    const m = new ProgressMeter();
    m.enter(3, 10, 0, 0);
    expect(m.snapshot(250, 0).eta_seconds).toBeNull();
  });

  test("the percentage never goes back when a stage starts over at zero", () => {
    const m = new ProgressMeter();
    m.enter(2, 4, 0, 0);
    m.set(4);
    const before = m.snapshot(100, 0).percentage;
    m.enter(3, 0, 100, 0); // every host down: nothing to port-scan
    m.enter(4, 0, 100, 0);
    expect(m.snapshot(200, 0).percentage).toBeGreaterThanOrEqual(before);
    m.finish();
    expect(m.snapshot(300, 0).percentage).toBe(100);
  });

  test("old samples leave the 2 s window", () => {
    const m = new ProgressMeter();
    m.enter(3, 100_000, 0, 0);
    m.set(50_000);
    m.snapshot(1000, 50_000); // a fast first second
    for (let t = 1250; t <= 5000; t += 250) m.snapshot(t, 50_000); // then nothing
    expect(m.snapshot(5250, 50_000).pps).toBe(0);
  });
});

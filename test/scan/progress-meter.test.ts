import { describe, expect, test } from "bun:test";
import { ProgressMeter } from "../../src/scan/index.ts";

describe("progress meter", () => {
  test("rates over the window, the port scan's progress from probes sent and answers, ETA from the rate", () => {
    const m = new ProgressMeter();
    m.portsPerHost = 100;
    m.enter(3, 1000, 0, 0);
    m.issued(250);
    m.set(250);
    const u = m.snapshot(500, 300);
    expect(u).toEqual({
      stage: 3,
      percentage: 31.25, // port scanning spans 10% to 95% of the scan: 10 + 85 * 0.25
      completed: 250,
      total: 1000,
      pps: 600,
      ports_per_sec: 500,
      hosts_per_min: 0, // no host has all its ports answered
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

  test("when nothing answers, sending the probes moves the port scan and the ETA stays sane (fake clock)", () => {
    // 300 filtered ports at 50 probes/s: 6 s of sending, then the last timeouts (1 s, 1 retry).
    const m = new ProgressMeter();
    m.enter(3, 300, 0, 0);
    m.tail(1000 * 2);
    const seen: { t: number; pct: number; eta: number | null }[] = [];
    let answered = 0;
    for (let t = 250; t <= 8000; t += 250) {
      const sent = Math.min(300, (t / 1000) * 50);
      m.issued(sent);
      if (t > 2000) answered = Math.min(300, ((t - 2000) / 1000) * 50); // each probe's final timeout 2 s after it went out
      m.set(answered);
      const u = m.snapshot(t, sent);
      seen.push({ t, pct: u.percentage, eta: u.eta_seconds });
    }
    const at = (t: number) => seen.find((x) => x.t === t)!;
    expect(at(1000).pct).toBeGreaterThan(15); // not 0% while every probe goes out
    for (const x of seen) {
      if (x.eta === null) continue;
      const real = 8 - x.t / 1000;
      expect(x.eta).toBeLessThan(real * 2 + 1); // never minutes for seconds
    }
    // the ETA never grows faster than the clock runs
    for (let i = 9; i < seen.length; i++) expect(seen[i]!.eta! - seen[i - 1]!.eta!).toBeLessThan(0.5);
    // once sent, the remainder is bounded by the timeouts still to wait
    expect(at(6500).eta!).toBeLessThanOrEqual(1.5);
  });

  test("while paused: rate 0, no ETA; after resume the paused time is no slowness", () => {
    const m = new ProgressMeter();
    m.enter(3, 3000, 0, 0);
    let t = 0;
    const step = (done: number) => {
      t += 250;
      m.issued(done);
      m.set(done);
      return m.snapshot(t, done);
    };
    for (let i = 1; i <= 16; i++) step(i * 50); // 200/s for 4 s
    const before = step(850);
    m.pause(t);
    for (let i = 0; i < 24; i++) {
      t += 250; // 6 s paused
      const u = m.snapshot(t, 850);
      expect(u.pps).toBe(0);
      expect(u.eta_seconds).toBeNull();
      expect(u.percentage).toBe(before.percentage);
    }
    m.resume(t);
    const after = step(900);
    expect(after.pps).toBe(200);
    expect(after.eta_seconds!).toBeGreaterThan(9);
    expect(after.eta_seconds!).toBeLessThan(12); // 2100 ports at 200/s: 10.5 s, not 1101 s
  });

  test("hosts per minute counts hosts finished, none while a one-host scan runs", () => {
    const m = new ProgressMeter();
    m.portsPerHost = 4;
    m.enter(3, 4, 0, 0);
    for (let i = 0; i < 3; i++) m.hostResult("127.0.0.1");
    expect(m.snapshot(30_000, 3).hosts_per_min).toBe(0);
    m.hostResult("127.0.0.1");
    expect(m.snapshot(60_000, 4).hosts_per_min).toBe(1);
  });

  test("service detection moves with the time waited while no port has finished, and says how long is left", () => {
    const m = new ProgressMeter();
    m.enter(4, 6, 0, 0);
    m.expect(12_000);
    const early = m.snapshot(1000, 0);
    const later = m.snapshot(6000, 0);
    expect(later.percentage).toBeGreaterThan(early.percentage);
    expect(later.percentage).toBeGreaterThan(95 + 4 * 0.45);
    expect(later.eta_seconds!).toBeGreaterThan(4);
    expect(m.snapshot(60_000, 0).percentage).toBeLessThan(99); // time alone never completes it
    m.set(6);
    expect(m.snapshot(61_000, 0)).toMatchObject({ percentage: 99, eta_seconds: 0 });
  });
});

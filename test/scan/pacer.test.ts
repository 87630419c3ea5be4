import { describe, expect, test } from "bun:test";
import { RttEstimator, TokenBucket } from "../../src/scan/index.ts";
import { VirtualTime } from "./virtual-time.ts";

/** A clock that only moves when the bucket sleeps: the test never waits. */
function fakeTime() {
  let now = 1000;
  return {
    clock: { now: () => now },
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function sendTimes(rate: number, count: number): Promise<number[]> {
  const t = fakeTime();
  const bucket = new TokenBucket(rate, t.clock, t.sleep);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await bucket.acquire(1);
    times.push(t.clock.now());
  }
  return times;
}

/** The fewest sends in any whole 2 s window starting at a send. */
function quietestWindow(times: number[], windowMs: number): number {
  let worst = Infinity;
  let j = 0;
  const last = times[times.length - 1]!;
  for (let i = 0; i < times.length && times[i]! + windowMs <= last; i++) {
    while (j < times.length && times[j]! < times[i]! + windowMs) j++;
    worst = Math.min(worst, j - i);
  }
  return worst;
}

/** The most sends in any 2 s window starting at a send. */
function busiestWindow(times: number[], windowMs: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[j]! < times[i]! - windowMs + 1e-9) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("token bucket", () => {
  for (const rate of [50, 1000, 100_000]) {
    test(`--max-rate ${rate} holds every 2 s window within 5%`, async () => {
      const times = await sendTimes(rate, rate * 6);
      const busiest = busiestWindow(times, 2000);
      expect(busiest).toBeLessThanOrEqual(rate * 2 * 1.05);
      expect(quietestWindow(times, 2000)).toBeGreaterThanOrEqual(rate * 2 * 0.95);
      const span = (times[times.length - 1]! - times[0]!) / 1000;
      expect(Math.abs(times.length / span - rate) / rate).toBeLessThan(0.05);
    });
  }

  test("callers queue behind each other instead of bursting", async () => {
    const t = fakeTime();
    const bucket = new TokenBucket(10, t.clock, t.sleep);
    await Promise.all(Array.from({ length: 30 }, () => bucket.acquire(1)));
    // 30 tokens at 10/s with a burst of 1: the clock moved ~2.9 s
    expect(t.clock.now() - 1000).toBeGreaterThanOrEqual(2850);
    expect(bucket.sent()).toBe(30);
    expect(bucket.heldMs()).toBeGreaterThan(0);
  });

  test("an idle bucket does not save up a burst", async () => {
    const t = fakeTime();
    const bucket = new TokenBucket(100, t.clock, t.sleep);
    t.advance(60_000);
    for (let i = 0; i < 10; i++) await bucket.acquire(1);
    expect(t.clock.now() - 61_000).toBeGreaterThanOrEqual(89);
  });

  test("without a rate it counts and never waits", () => {
    const t = fakeTime();
    const bucket = new TokenBucket(null, t.clock, t.sleep);
    for (let i = 0; i < 1000; i++) expect(bucket.acquire(1)).toBeUndefined();
    expect(bucket.sent()).toBe(1000);
  });

  test("a token counts as sent when its wait is over, not when 256 callers reserve it at once", async () => {
    const vt = new VirtualTime();
    const bucket = new TokenBucket(100, vt, vt.sleep);
    const seen: number[] = [];
    let left = 300;
    const worker = async () => {
      while (left-- > 0) await bucket.acquire(1);
    };
    const sample = vt.ticker(() => seen.push(bucket.sent()), 250);
    await vt.drive(Promise.all(Array.from({ length: 256 }, worker)));
    sample();
    // One token at once (the burst), then one every 10 ms: 26 by 250 ms, 51 by 500 ms …
    expect(seen).toEqual([26, 51, 76, 101, 126, 151, 176, 201, 226, 251, 276]);
    expect(bucket.sent()).toBe(300);
  });

  test("a caller woken from its wait finds its token already counted as sent", async () => {
    const vt = new VirtualTime();
    const bucket = new TokenBucket(1000, vt, vt.sleep);
    const mismatches: string[] = [];
    let done = 0;
    const worker = async () => {
      for (let i = 0; i < 20; i++) {
        await bucket.acquire(1);
        done++;
        // This caller and every one woken before it have sent.
        if (bucket.sent() < done) mismatches.push(`${vt.now()}: ${bucket.sent()} < ${done}`);
      }
    };
    await vt.drive(Promise.all(Array.from({ length: 64 }, worker)));
    expect(mismatches).toEqual([]);
    expect(bucket.sent()).toBe(1280);
  });

  test("held time is wall time, however many callers wait at once, and restarts at each report", async () => {
    const vt = new VirtualTime();
    const bucket = new TokenBucket(10, vt, vt.sleep);
    const all = Promise.all(Array.from({ length: 21 }, () => bucket.acquire(1)));
    // 21 tokens at 10/s, the first at once: the last falls due at 2 s (summed per caller, it was 21 s).
    expect(bucket.heldMs(1000)).toBeCloseTo(1000);
    bucket.reported(1000);
    await vt.drive(all);
    expect(bucket.heldMs(5000)).toBeCloseTo(1000);
    bucket.reported(5000);
    expect(bucket.heldMs(6000)).toBe(0);
  });

  test("waits cut short by a cancel are not counted as sent when they fall due", () => {
    const vt = new VirtualTime();
    const bucket = new TokenBucket(100, vt, vt.sleep);
    for (let i = 0; i < 100; i++) void bucket.acquire(1);
    bucket.forgetWaiting(0);
    expect(bucket.sent(0)).toBe(1);
    expect(bucket.sent(5000)).toBe(1);
  });
});

describe("RTT-adaptive timeout", () => {
  test("starts at the template's initial timeout, then follows srtt + 4 rttvar", () => {
    const e = new RttEstimator(1000, 100, 10_000);
    expect(e.timeoutMs()).toBe(1000);
    e.observe(200);
    expect(e.timeoutMs()).toBe(600); // 200 + 4 * 100
    for (let i = 0; i < 50; i++) e.observe(200);
    expect(e.timeoutMs()).toBeLessThan(250);
  });

  test("stays within the template's bounds", () => {
    const e = new RttEstimator(1000, 100, 1250);
    e.observe(1);
    for (let i = 0; i < 50; i++) e.observe(1);
    expect(e.timeoutMs()).toBe(100);
    e.observe(100_000);
    expect(e.timeoutMs()).toBe(1250);
  });
});

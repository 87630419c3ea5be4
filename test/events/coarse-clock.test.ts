import { expect, test } from "bun:test";
import { CoarseClock } from "../../src/events/index.ts";

function countingClock() {
  let reads = 0;
  let t = 1_000;
  return { clock: { now: () => (reads++, (t += 7)) }, reads: () => reads };
}

test("coarse clock reads the source at most once per `reuse` calls in one job", () => {
  const { clock, reads } = countingClock();
  const coarse = new CoarseClock(clock, 4);
  const seen = Array.from({ length: 9 }, () => coarse.now());
  expect(reads()).toBe(3);
  expect(seen).toEqual([1007, 1007, 1007, 1007, 1014, 1014, 1014, 1014, 1021]);
});

test("coarse clock never reuses a reading across jobs", async () => {
  const { clock, reads } = countingClock();
  const coarse = new CoarseClock(clock, 64);
  const first = coarse.now();
  await Promise.resolve();
  await Promise.resolve();
  const second = coarse.now();
  expect(reads()).toBe(2);
  expect(second).toBeGreaterThan(first);
});

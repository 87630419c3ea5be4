import { describe, expect, test } from "bun:test";
import { GateControl } from "../../src/progress/index.ts";
import { FakeTime } from "./fakes.ts";

describe("GateControl", () => {
  test("pause holds the loop until resume, and reports the paused seconds", async () => {
    const time = new FakeTime();
    const log: string[] = [];
    const c = new GateControl(time, {
      onPause: () => log.push("paused"),
      onResume: (s) => log.push(`resumed after ${s}`),
    });
    let passed = false;
    c.pause();
    c.pause();
    const waiting = c.wait().then(() => (passed = true));
    await Promise.resolve();
    expect(passed).toBe(false);
    time.advance(2500);
    c.resume();
    await waiting;
    expect(passed).toBe(true);
    expect(log).toEqual(["paused", "resumed after 2.5"]);
  });

  test("cancel releases a paused loop once, with the reason", async () => {
    const time = new FakeTime();
    const reasons: string[] = [];
    const c = new GateControl(time, { onCancel: (r) => reasons.push(r) });
    c.pause();
    const waiting = c.wait();
    c.cancel("user_requested");
    c.cancel("again");
    await waiting;
    expect(c.cancelled).toBe("user_requested");
    expect(c.paused).toBe(false);
    expect(reasons).toEqual(["user_requested"]);
  });
});

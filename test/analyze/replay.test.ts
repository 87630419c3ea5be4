import { describe, expect, test } from "bun:test";
import { Anomalies, replay } from "../../src/analyze/index.ts";
import type { ReplayOptions } from "../../src/analyze/index.ts";
import { EventBus, encodeEvent } from "../../src/events/index.ts";
import { streamSource } from "../../src/log/index.ts";
import { chunked, ended, ev, port, started, text } from "./helpers.ts";

/** A clock that only moves when replay sleeps: no real waiting. */
function fakeClock() {
  const clock = {
    t: 5000,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

const LOG = [
  started(0),
  ev("ScanStarted", 0, { scan_type: "Syn", target_count: 1, port_count: 3 }),
  port(1000, "198.18.0.1", 22),
  port(3000, "198.18.0.1", 80),
  port(3500, "198.18.0.1", 443),
  ended(3500, 4),
];

async function run(options: Partial<ReplayOptions>, lines: readonly string[] = LOG) {
  const clock = fakeClock();
  const bus = new EventBus();
  const seen: { at: number; line: string }[] = [];
  bus.on({}, (e) => seen.push({ at: clock.now() - 5000, line: encodeEvent(e) }));
  const result = await replay([streamSource("-", chunked(new TextEncoder().encode(text(lines)), [40]))], bus, new Anomalies(() => {}), {
    speed: 1,
    clock,
    ...options,
  });
  return { seen, result, clock };
}

describe("log replay", () => {
  test("--speed 1 publishes at the recorded pace", async () => {
    const { seen, result } = await run({ speed: 1 });
    expect(seen.map((s) => s.at)).toEqual([0, 1000, 3000, 3500]);
    expect(result).toEqual({ published: 4, rejected: 0, stopped: false });
  });

  test("--speed 10 publishes ten times faster", async () => {
    const { seen } = await run({ speed: 10 });
    expect(seen.map((s) => s.at)).toEqual([0, 100, 300, 350]);
  });

  test("--speed max never sleeps", async () => {
    const { seen, clock } = await run({ speed: "max" });
    expect(seen).toHaveLength(4);
    expect(clock.sleeps).toEqual([]);
  });

  test("--max-gap caps idle stretches of the recording", async () => {
    const { seen } = await run({ speed: 1, maxGapMs: 500 });
    expect(seen.map((s) => s.at)).toEqual([0, 500, 1000, 1500]);
  });

  test("replayed events are the logged events again (seq renumbered by the bus)", async () => {
    const { seen } = await run({ speed: "max" });
    const strip = (l: string) => l.replace(/"seq":\d+,/, "");
    expect(seen.map((s) => strip(s.line))).toEqual(LOG.slice(1, -1).map(strip));
  });

  test("--from and --to bound the replay", async () => {
    const { seen } = await run({ speed: 1, from: "2024-11-15T10:30:01.000Z", to: "2024-11-15T10:30:03.500Z" });
    expect(seen.map((s) => s.at)).toEqual([0, 2000]);
  });

  test("an aborted signal stops the replay cleanly", async () => {
    const stop = new AbortController();
    const clock = fakeClock();
    const bus = new EventBus();
    let n = 0;
    bus.on({}, () => {
      if (++n === 2) stop.abort();
    });
    const result = await replay([streamSource("-", chunked(new TextEncoder().encode(text(LOG)), [999]))], bus, new Anomalies(() => {}), {
      speed: 1,
      clock,
      signal: stop.signal,
    });
    expect(result).toEqual({ published: 2, rejected: 0, stopped: true });
  });
});

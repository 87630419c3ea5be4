import { describe, expect, test } from "bun:test";
import { EventBus, EventFactory, Lagged } from "../../src/events/index.ts";
import type { AnyEvent, PortFields } from "../../src/events/index.ts";
import { SCAN_ID, T0 } from "./fixtures.ts";

function factory(start = T0, scanId = SCAN_ID) {
  let now = start;
  const f = new EventFactory(scanId, { now: () => now });
  return { f, tick: (ms: number) => (now += ms) };
}

const open = (port: number, target = "198.18.0.5"): PortFields => ({
  target,
  port,
  protocol: "Tcp",
  state: "Open",
  reason: "syn-ack",
});

describe("EventBus history", () => {
  test("history 10 after 15 publishes holds the last 10 in order and counts 15 published", () => {
    const bus = new EventBus({ history: 10 });
    const { f } = factory();
    for (let p = 1; p <= 15; p++) bus.publish(f.portFound(open(p)));
    const kept = bus.history();
    expect(kept.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(kept.map((e) => (e as { port: number }).port)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(bus.stats().published).toBe(15);
    expect(bus.stats().historyLength).toBe(10);
  });

  test("seq numbers publications 1, 2, 3 in order", () => {
    const bus = new EventBus();
    const { f } = factory();
    const events = [f.portFound(open(1)), f.portFound(open(2)), f.portFound(open(3))];
    for (const e of events) bus.publish(e);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  test("history honours since and keeps the newest `limit`", () => {
    const bus = new EventBus();
    const { f } = factory();
    for (let p = 1; p <= 8; p++) bus.publish(f.portFound(open(p)));
    expect(bus.history({}, { since: 5 }).map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(bus.history({}, { limit: 2 }).map((e) => e.seq)).toEqual([7, 8]);
    expect(bus.since(6).map((e) => e.seq)).toEqual([7, 8]);
  });
});

describe("EventBus filters", () => {
  function publishMix(bus: EventBus) {
    const a = factory(T0, SCAN_ID);
    const b = factory(T0 + 5_000, "11111111-2222-4333-8444-555555555555");
    bus.publish(a.f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 2 }));
    bus.publish(a.f.portFound(open(22)));
    bus.publish(a.f.make("ServiceDetected", { target: "198.18.0.5", port: 22, service: "SSH", version: null, confidence: 90 }));
    bus.publish(b.f.portFound(open(80, "198.18.0.6")));
    bus.publish(b.f.make("WarningIssued", { message: "slow", severity: "low", code: "slow-host" }));
  }
  const names = (events: AnyEvent[]) => events.map((e) => e.event);

  test("a type filter keeps only those types", () => {
    const bus = new EventBus();
    const got: AnyEvent[] = [];
    bus.on({ types: ["PortFound"] }, (e) => got.push(e));
    publishMix(bus);
    expect(names(got)).toEqual(["PortFound", "PortFound"]);
  });

  test("a category filter keeps the category's types", () => {
    const bus = new EventBus();
    const got: AnyEvent[] = [];
    bus.on({ categories: ["detection", "diagnostic"] }, (e) => got.push(e));
    publishMix(bus);
    expect(names(got)).toEqual(["ServiceDetected", "WarningIssued"]);
  });

  test("a scan_id filter keeps one scan", () => {
    const bus = new EventBus();
    const got: AnyEvent[] = [];
    bus.on({ scanId: SCAN_ID }, (e) => got.push(e));
    publishMix(bus);
    expect(names(got)).toEqual(["ScanStarted", "PortFound", "ServiceDetected"]);
  });

  test("a time range keeps since <= t < until", () => {
    const bus = new EventBus();
    publishMix(bus);
    expect(names(bus.history({ since: T0 + 1, until: T0 + 10_000 }))).toEqual(["PortFound", "WarningIssued"]);
    expect(names(bus.history({ until: T0 + 5_000 }))).toEqual(["ScanStarted", "PortFound", "ServiceDetected"]);
  });

  test("a predicate and a type combine with AND", () => {
    const bus = new EventBus();
    const got: AnyEvent[] = [];
    bus.on({ types: ["PortFound"], where: (e) => (e as { port: number }).port === 80 }, (e) => got.push(e));
    publishMix(bus);
    expect(got.map((e) => (e as { port: number }).port)).toEqual([80]);
  });

  test("unknown event types reach unfiltered subscribers only", () => {
    const bus = new EventBus();
    const all: AnyEvent[] = [];
    const typed: AnyEvent[] = [];
    bus.on({}, (e) => all.push(e));
    bus.on({ categories: ["lifecycle"] }, (e) => typed.push(e));
    expect(bus.publish({ event: "FromTheFuture", scan_id: SCAN_ID, timestamp: T0 })).toBe(true);
    expect(names(all)).toEqual(["FromTheFuture"]);
    expect(typed).toEqual([]);
  });
});

describe("EventBus delivery", () => {
  test("every matching subscriber gets each event once (fan-out)", async () => {
    const bus = new EventBus();
    const { f } = factory();
    const subs = [1, 2, 3, 4].map(() => bus.subscribe({ types: ["PortFound"] }));
    bus.publish(f.portFound(open(1)));
    bus.publish(f.portFound(open(2)));
    for (const s of subs) {
      expect(((await s.recv()) as { port: number }).port).toBe(1);
      expect(((await s.recv()) as { port: number }).port).toBe(2);
    }
    expect(bus.stats().delivered).toBe(8);
  });

  test("a for-await consumer sees events published after it starts waiting", async () => {
    const bus = new EventBus();
    const { f } = factory();
    const sub = bus.subscribe({ types: ["PortFound"] });
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const e of sub) {
        seen.push((e as { port: number }).port);
        if (seen.length === 3) break;
      }
    })();
    for (const p of [10, 20, 30]) {
      await Promise.resolve();
      bus.publish(f.portFound(open(p)));
    }
    await consumer;
    expect(seen).toEqual([10, 20, 30]);
    expect(sub.isClosed).toBe(true);
  });

  test("a closed subscriber receives nothing more", async () => {
    const bus = new EventBus();
    const { f } = factory();
    const sub = bus.subscribe();
    bus.publish(f.portFound(open(1)));
    sub.close();
    bus.publish(f.portFound(open(2)));
    expect(((await sub.recv()) as { port: number }).port).toBe(1);
    expect(await sub.recv()).toBeNull();
    expect(sub.delivered).toBe(1);
    const calls: number[] = [];
    const handle = bus.on({}, () => calls.push(1));
    handle.close();
    bus.publish(f.portFound(open(3)));
    expect(calls).toEqual([]);
  });

  test("a stalled subscriber loses the oldest events and learns exactly how many", async () => {
    const bus = new EventBus();
    const { f } = factory();
    const sub = bus.subscribe({}, { capacity: 4, name: "slow" });
    for (let p = 1; p <= 10; p++) bus.publish(f.portFound(open(p)));
    const first = await sub.recv();
    expect(first).toBeInstanceOf(Lagged);
    expect((first as Lagged).missed).toBe(6);
    const rest: number[] = [];
    for (let i = 0; i < 4; i++) rest.push(((await sub.recv()) as { port: number }).port);
    expect(rest).toEqual([7, 8, 9, 10]);
    expect(bus.stats().subscribers).toEqual([{ name: "slow", delivered: 10, dropped: 6, queued: 0 }]);
  });

  test("a throwing listener is isolated: others still receive and publish does not throw", () => {
    const bus = new EventBus();
    const { f } = factory();
    const got: number[] = [];
    bus.on({}, () => {
      throw new Error("boom");
    });
    bus.on({}, (e) => got.push((e as { port: number }).port));
    expect(bus.publish(f.portFound(open(5)))).toBe(true);
    expect(got).toEqual([5]);
    expect(bus.stats().listenerErrors).toBe(1);
  });

  test("listeners after a throwing one still run, in order, for every event", () => {
    const bus = new EventBus();
    const { f } = factory();
    const got: string[] = [];
    bus.on({}, (e) => got.push(`a${(e as { port: number }).port}`));
    bus.on({}, () => {
      throw new Error("boom");
    });
    bus.on({}, (e) => got.push(`c${(e as { port: number }).port}`));
    bus.publish(f.portFound(open(1)));
    bus.publish(f.portFound(open(2)));
    expect(got).toEqual(["a1", "c1", "a2", "c2"]);
    expect(bus.stats().listenerErrors).toBe(2);
    expect(bus.stats().delivered).toBe(6);
  });

  test("delivered counts a where-filtered listener only for the events it matched", () => {
    const bus = new EventBus();
    const { f } = factory();
    const got: number[] = [];
    bus.on({ where: (e) => (e as { port: number }).port > 10 }, (e) => got.push((e as { port: number }).port));
    for (const port of [5, 20, 7, 30]) bus.publish(f.portFound(open(port)));
    expect(got).toEqual([20, 30]);
    expect(bus.stats().delivered).toBe(2);
  });
});

describe("EventBus validation", () => {
  const cases: [string, (f: EventFactory) => AnyEvent, string][] = [
    ["percentage above 100", (f) => f.make("ProgressUpdate", progress({ percentage: 100.5 })), "percentage-out-of-range"],
    ["percentage below 0", (f) => f.make("ProgressUpdate", progress({ percentage: -1 })), "percentage-out-of-range"],
    ["completed > total", (f) => f.make("ProgressUpdate", progress({ completed: 11, total: 10 })), "completed-exceeds-total"],
    ["confidence above 100", (f) => f.make("ServiceDetected", { target: "198.18.0.5", port: 22, service: "SSH", version: null, confidence: 101 }), "confidence-out-of-range"],
    ["OS confidence below 0", (f) => f.make("OSDetected", { target: "198.18.0.5", os: "Linux", os_version: null, confidence: -5 }), "confidence-out-of-range"],
    ["port 0", (f) => f.portFound(open(0)), "port-out-of-range"],
    ["port 65536", (f) => f.portFound(open(65536)), "port-out-of-range"],
    ["banner port 70000", (f) => f.make("BannerGrabbed", { target: "198.18.0.5", port: 70000, protocol: "Tcp", banner: "x" }), "port-out-of-range"],
  ];
  function progress(over: Partial<{ percentage: number; completed: number; total: number }>) {
    return { stage: 3, percentage: 50, completed: 5, total: 10, pps: 0, ports_per_sec: 0, hosts_per_min: 0, bandwidth_bps: 0, eta_seconds: null, ...over };
  }

  for (const [what, make, reason] of cases) {
    test(`rejects ${what} with reason ${reason}: counted, never stored or delivered`, () => {
      const bus = new EventBus();
      const { f } = factory();
      const got: AnyEvent[] = [];
      bus.on({}, (e) => got.push(e));
      expect(bus.publish(make(f))).toBe(false);
      expect(got).toEqual([]);
      expect(bus.history()).toEqual([]);
      const stats = bus.stats();
      expect(stats.rejected).toBe(1);
      expect(stats.rejectedBy).toEqual({ [reason]: 1 });
      expect(stats.published).toBe(0);
    });
  }

  test("boundary values 0, 100, port 1 and 65535 are accepted", () => {
    const bus = new EventBus();
    const { f } = factory();
    expect(bus.publish(f.portFound(open(1)))).toBe(true);
    expect(bus.publish(f.portFound(open(65535)))).toBe(true);
    expect(bus.publish(f.make("ProgressUpdate", progress({ percentage: 0, completed: 0 })))).toBe(true);
    expect(bus.publish(f.make("ProgressUpdate", progress({ percentage: 100, completed: 10 })))).toBe(true);
    expect(bus.stats().rejected).toBe(0);
  });
});

describe("EventBus tap", () => {
  const ports = (batches: number[][]) => batches.flat();
  function reading(bus: EventBus) {
    const batches: number[][] = [];
    let missed = 0;
    const tap = bus.tap((events, count, lost) => {
      batches.push(events.slice(0, count).map((e) => (e as { port: number }).port));
      missed += lost;
    });
    return { batches, tap, missed: () => missed };
  }

  test("reads every accepted event in order after the publisher's run, never during publish", async () => {
    const bus = new EventBus();
    const { f } = factory();
    const { batches } = reading(bus);
    bus.publish(f.portFound(open(1)));
    bus.publish(f.portFound(open(70_000))); // rejected: never read
    bus.publish(f.portFound(open(2)));
    expect(batches).toEqual([]);
    await Promise.resolve();
    expect(batches).toEqual([[1, 2]]);
    expect(bus.stats().delivered).toBe(2);
  });

  test("reads on while a publisher streams between microtasks; after a pause its timer finds the next event", async () => {
    const bus = new EventBus();
    const { f } = factory();
    const { batches } = reading(bus);
    for (let p = 1; p <= 6; p += 2) {
      bus.publish(f.portFound(open(p)));
      bus.publish(f.portFound(open(p + 1)));
      await null;
    }
    expect(batches).toEqual([[1, 2], [3, 4], [5, 6]]);
    await new Promise((r) => setTimeout(r, 100)); // a pause: the tap stops looking every microtask and polls
    expect(batches).toHaveLength(3);
    // After a pause publish does not wake the tap (a call in publish halves a streaming
    // publisher's speed): the tap's timer finds the event, at most 64 ms later.
    const published = performance.now();
    bus.publish(f.portFound(open(7)));
    await Promise.resolve();
    expect(batches).toHaveLength(3);
    while (batches.length === 3 && performance.now() - published < 1000) await new Promise((r) => setTimeout(r, 1));
    expect(performance.now() - published).toBeLessThan(200);
    expect(batches).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
  });

  test("a burst longer than the history is set aside and read whole after the run: nothing overwritten unread", async () => {
    const bus = new EventBus({ history: 10 });
    const { f } = factory();
    const { batches, missed } = reading(bus);
    for (let p = 1; p <= 35; p++) bus.publish(f.portFound(open(p)));
    expect(batches).toEqual([]);
    await Promise.resolve();
    expect(batches).toEqual([Array.from({ length: 35 }, (_, i) => i + 1)]);
    expect(missed()).toBe(0);
  });

  test("a burst beyond what the tap may set aside is read during the run, still whole and in order", async () => {
    const bus = new EventBus({ history: 10 });
    const { f } = factory();
    const { batches, missed } = reading(bus);
    for (let p = 1; p <= 40_000; p++) bus.publish(f.portFound(open((p % 65_535) + 1)));
    expect(batches.length).toBeGreaterThan(0);
    await Promise.resolve();
    expect(ports(batches)).toEqual(Array.from({ length: 40_000 }, (_, i) => ((i + 1) % 65_535) + 1));
    expect(missed()).toBe(0);
  });

  test("events the reader publishes are read after the batch, in order, without re-entering it", async () => {
    const bus = new EventBus({ history: 4 });
    const { f } = factory();
    const seen: number[] = [];
    let depth = 0;
    let deepest = 0;
    bus.tap((events, count) => {
      depth++;
      deepest = Math.max(deepest, depth);
      for (let i = 0; i < count; i++) {
        const port = (events[i] as { port: number }).port;
        seen.push(port);
        if (port < 3) bus.publish(f.portFound(open(port + 100)));
      }
      depth--;
    });
    bus.publish(f.portFound(open(1)));
    bus.publish(f.portFound(open(2)));
    await Promise.resolve();
    expect(seen).toEqual([1, 2, 101, 102]);
    expect(deepest).toBe(1);
  });

  test("a reader that publishes more than the ring holds learns exactly how many it missed", async () => {
    const bus = new EventBus({ history: 4 });
    const { f } = factory();
    let missed = 0;
    let seen = 0;
    bus.tap((events, count, lost) => {
      missed += lost;
      seen += count;
      for (let i = 0; i < count; i++) {
        if ((events[i] as { port: number }).port !== 1) continue;
        for (let p = 0; p < 20_000; p++) bus.publish(f.portFound(open(2 + (p % 60_000))));
      }
    });
    bus.publish(f.portFound(open(1)));
    await Promise.resolve();
    // While the tap reads, the ring holds 16,384 events: of the 20,000 the reader published
    // during its batch, the oldest 3,616 were overwritten before they could be read.
    expect(missed).toBe(20_000 - 16_384);
    expect(seen).toBe(1 + 16_384);
  });

  test("with a tap the ring holds more, but history() still keeps the newest `history` events", () => {
    const bus = new EventBus({ history: 5 });
    const { f } = factory();
    const tap = bus.tap(() => {});
    for (let p = 1; p <= 12; p++) bus.publish(f.portFound(open(p)));
    expect(bus.history().map((e) => (e as { port: number }).port)).toEqual([8, 9, 10, 11, 12]);
    expect(bus.stats().historyLength).toBe(5);
    tap.close();
    expect(bus.history().map((e) => (e as { port: number }).port)).toEqual([8, 9, 10, 11, 12]);
  });

  test("once a burst is read, a tapped bus keeps only its history's events alive", async () => {
    const bus = new EventBus({ history: 10 });
    const { f } = factory();
    bus.tap(() => {});
    const refs: WeakRef<object>[] = [];
    for (let p = 1; p <= 500; p++) {
      const e = f.portFound(open(p));
      refs.push(new WeakRef(e));
      bus.publish(e);
    }
    await Bun.sleep(0); // the tap reads; the WeakRefs' targets stop being held for this job
    Bun.gc(true);
    await Bun.sleep(0);
    Bun.gc(true);
    const alive = refs.map((r, i) => (r.deref() === undefined ? 0 : i + 1)).filter((p) => p > 0);
    expect(alive.filter((p) => p <= 490).length).toBeLessThan(10); // a conservative GC may still see a stray few
    expect(alive.filter((p) => p > 490)).toEqual([491, 492, 493, 494, 495, 496, 497, 498, 499, 500]);
    expect(bus.history()).toHaveLength(10); // and the bus itself was alive throughout
  });

  test("flush reads what is pending now; after close nothing more is read; one tap per bus", () => {
    const bus = new EventBus();
    const { f } = factory();
    const { batches, tap } = reading(bus);
    bus.publish(f.portFound(open(1)));
    tap.flush();
    expect(ports(batches)).toEqual([1]);
    bus.publish(f.portFound(open(2)));
    tap.close();
    expect(ports(batches)).toEqual([1, 2]);
    bus.publish(f.portFound(open(3)));
    tap.flush();
    expect(ports(batches)).toEqual([1, 2]);
    expect(() => bus.tap(() => {})).not.toThrow();
    expect(() => bus.tap(() => {})).toThrow("already has a tap");
  });
});

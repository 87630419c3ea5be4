import { describe, expect, test } from "bun:test";
import { EventBus } from "../../src/events/index.ts";
import type { ScanEvent } from "../../src/events/index.ts";
import { attachProgress, progressMode } from "../../src/progress/index.ts";
import { FakeOutput, FakeTime } from "./fakes.ts";
import { syntheticScan } from "./synthetic-scan.ts";

describe("attachProgress", () => {
  test("-q and --no-progress are silent; --live needs a terminal", () => {
    expect(progressMode({ quiet: true, live: true, isTTY: true, noColor: false })).toBe("silent");
    expect(progressMode({ progress: false, isTTY: true, noColor: false })).toBe("silent");
    expect(progressMode({ live: true, isTTY: true, noColor: false })).toBe("live");
    expect(progressMode({ live: true, isTTY: false, noColor: false })).toBe("plain");
    expect(progressMode({ isTTY: true, noColor: false })).toBe("line");
    expect(progressMode({ isTTY: false, noColor: false })).toBe("plain");
  });

  test("silent writes nothing but still prints results", () => {
    const time = new FakeTime();
    const bus = new EventBus();
    const out = new FakeOutput(true);
    const h = attachProgress(bus, { quiet: true, isTTY: true, noColor: false }, { out, clock: time, scheduler: time });
    for (const e of syntheticScan({ targets: 8, ports: 100 }).events) bus.publish(e);
    h.printAbove("198.18.0.5 22/tcp open");
    h.close();
    expect(out.text()).toBe("198.18.0.5 22/tcp open\n");
    expect(bus.stats().delivered).toBe(0);
  });

  test("a piped scan gets plain lines every 5 s of wall time and a final line, no escapes", () => {
    const time = new FakeTime();
    const bus = new EventBus();
    const out = new FakeOutput(false);
    const trace = syntheticScan({ targets: 16, ports: 1000, rate: 500, start: time.now() });
    const h = attachProgress(bus, { isTTY: false, noColor: false }, { out, clock: time, scheduler: time });
    for (const e of trace.events) {
      time.advance(Math.max(0, e.timestamp - time.now()));
      bus.publish(e);
    }
    h.close();
    const lines = out.text().split("\n").filter((l) => l !== "");
    const seconds = (trace.end - trace.start) / 1000;
    expect(lines.length).toBe(Math.floor(seconds / 5) + 1);
    expect(lines.at(-1)).toMatch(/^\[Stage 5\/5\] Finalization 100% \| Overall 100% \| Done in /);
    expect(out.text()).not.toContain("\x1b");
    expect(h.tracker!.eventsSeen).toBe(trace.events.length);
  });

  test("on a terminal the chosen style is drawn, and a finished scan's status is erased so the report is the last thing on screen", () => {
    const time = new FakeTime();
    const bus = new EventBus();
    const out = new FakeOutput(true, 120);
    const trace = syntheticScan({ targets: 4, ports: 100, start: time.now() });
    const h = attachProgress(bus, { style: "bars", isTTY: true, noColor: true }, { out, clock: time, scheduler: time });
    for (const e of trace.events) {
      time.advance(Math.max(0, e.timestamp - time.now()));
      bus.publish(e);
    }
    h.printAbove("prtip done: 4 IP addresses (4 hosts up) scanned in 2.00 seconds");
    time.advance(200); // the status is drawn again below the summary before the CLI closes it
    h.close();
    const text = out.text();
    expect(text).toContain("Stage 1: Target Resolution   ▓▓▓▓▓▓▓▓▓▓ 100%");
    // the summary, then the six status lines drawn again below it, then all six erased
    const tail = text.slice(text.indexOf("scanned in 2.00 seconds\n") + "scanned in 2.00 seconds\n".length);
    expect(tail).toMatch(/Overall ▓▓▓▓▓▓▓▓▓▓ 100% \| Done in \d+s \| 0 pps \| 0 hpm\r\x1b\[2K(\x1b\[1A\x1b\[2K){5}$/);
  });

  test("a cancelled scan's last frame stays on the terminal: it says where the scan stopped", () => {
    const time = new FakeTime();
    const bus = new EventBus();
    const out = new FakeOutput(true, 120);
    const trace = syntheticScan({ targets: 4, ports: 100, start: time.now() });
    const h = attachProgress(bus, { isTTY: true, noColor: true }, { out, clock: time, scheduler: time });
    const half = trace.events.slice(0, trace.events.length / 2);
    for (const e of half) {
      time.advance(Math.max(0, e.timestamp - time.now()));
      bus.publish(e);
    }
    bus.publish({ ...half.at(-1)!, event: "ScanCancelled", reason: "interrupted by SIGINT", partial_results: true } as unknown as ScanEvent);
    h.close();
    expect(out.text()).toMatch(/ \| Cancelled after \d+s\n$/);
  });
});

describe("attachProgress resize", () => {
  test("SIGWINCH redraws the status at the new width, clearing the rows the old line wrapped over; close unhooks it", () => {
    const time = new FakeTime();
    const bus = new EventBus();
    const out = new FakeOutput(true, 120);
    const handlers = new Map<string, () => void>();
    const onSignal = (name: string, fn: () => void) => (handlers.set(name, fn), () => void handlers.delete(name));
    const h = attachProgress(bus, { style: "detailed", isTTY: true, noColor: true }, { out, clock: time, scheduler: time, onSignal });
    const trace = syntheticScan({ targets: 4, ports: 100, start: time.now() });
    for (const e of trace.events.slice(0, 20)) bus.publish(e);
    time.advance(100);
    const wide = out.chunks.at(-1)!.split("\x1b[2K").at(-1)!;
    expect(wide.length).toBeGreaterThan(40);
    out.clear();
    out.columns = 40;
    handlers.get("SIGWINCH")!();
    time.advance(100);
    const rows = Math.ceil(wide.length / 40);
    expect(out.text()).toStartWith("\r\x1b[2K" + "\x1b[1A\x1b[2K".repeat(rows - 1));
    expect(out.text().split("\x1b[2K").at(-1)!.length).toBeLessThanOrEqual(39);
    h.close();
    expect(handlers.size).toBe(0);
  });
});

describe("attachProgress colour", () => {
  for (const noColor of [true, false]) {
    test(`detailed style on a terminal ${noColor ? "has no colour under NO_COLOR" : "colours the ETA"}`, () => {
      const time = new FakeTime();
      const bus = new EventBus();
      const out = new FakeOutput(true, 200);
      const trace = syntheticScan({ targets: 64, ports: 1000, rate: 500, start: time.now() });
      const h = attachProgress(bus, { style: "detailed", isTTY: true, noColor }, { out, clock: time, scheduler: time });
      for (const e of trace.events.slice(0, trace.events.length / 2)) {
        time.advance(Math.max(0, e.timestamp - time.now()));
        bus.publish(e);
      }
      h.close();
      expect(/\x1b\[3[123]mETA: /.test(out.text())).toBe(!noColor);
      expect(out.text()).toContain("pps | ");
    });
  }
});

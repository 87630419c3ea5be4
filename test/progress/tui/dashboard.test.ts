import { describe, expect, test } from "bun:test";
import { EventBus, EventFactory } from "../../../src/events/index.ts";
import { attachProgress } from "../../../src/progress/index.ts";
import type { ScanControl } from "../../../src/scan/control.ts";
import { FakeOutput, FakeTime } from "../fakes.ts";
import { syntheticScan } from "../synthetic-scan.ts";
import { VirtualScreen } from "./virtual-screen.ts";

class RecordingControl implements ScanControl {
  calls: string[] = [];
  paused = false;
  pause() {
    this.calls.push("pause");
    this.paused = true;
  }
  resume() {
    this.calls.push("resume");
    this.paused = false;
  }
  cancel(reason: string) {
    this.calls.push(`cancel ${reason}`);
  }
}

async function* keysFrom(queue: string[], wake: { fn: (() => void) | null }): AsyncIterable<string> {
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    await new Promise<void>((r) => (wake.fn = r));
  }
}

function live(columns = 120, rows = 30, noColor = true) {
  const time = new FakeTime();
  const bus = new EventBus();
  const out = new FakeOutput(true, columns, rows);
  const control = new RecordingControl();
  const queue: string[] = [];
  const wake: { fn: (() => void) | null } = { fn: null };
  const raw: boolean[] = [];
  const signals = new Map<string, () => void>();
  const handle = attachProgress(
    bus,
    { live: true, isTTY: true, noColor },
    {
      out,
      clock: time,
      scheduler: time,
      control,
      keys: keysFrom(queue, wake),
      setRawMode: (on) => raw.push(on),
      onSignal: (sig, fn) => {
        signals.set(sig, fn);
        return () => signals.delete(sig);
      },
    },
  );
  const type = async (k: string) => {
    queue.push(k);
    wake.fn?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const screen = () => {
    const s = new VirtualScreen(out.columns, out.rows);
    s.feed(out.text());
    return s;
  };
  return { time, bus, out, control, handle, type, screen, raw, signals };
}

function play(bus: EventBus, time: FakeTime, events: ReturnType<typeof syntheticScan>["events"], upTo = events.length) {
  for (const e of events.slice(0, upTo)) {
    time.advance(Math.max(0, e.timestamp - time.now()));
    bus.publish(e);
  }
}

describe("--live dashboard", () => {
  test("shows the header, stages and the open ports as they arrive", () => {
    const d = live();
    const trace = syntheticScan({ targets: 8, ports: 1000, start: d.time.now(), openRatio: 0.01 });
    play(d.bus, d.time, trace.events);
    d.time.advance(1000);
    const text = d.screen().text();
    expect(text).toContain(" prtip COMPLETED │ scan 1b4e28ba │ Syn │ 8 targets × 1,000 ports │ elapsed ");
    expect(text).toContain("✓ 3 Port Scanning");
    const last = d.handle.tracker!.ports.rows.at(-1)!;
    expect(text).toMatch(new RegExp(`${last.target.replaceAll(".", "\\.")} +${last.port} tcp +open +${last.service!.toLowerCase()}`));
    d.handle.close();
  });

  test("a service's version or a warning's text is drawn with its control characters as \\xNN, never sent to the terminal", () => {
    const d = live();
    const f = new EventFactory("1b4e28ba-2fa1-11d2-883f-0016d3cca427", d.time);
    const owned = "\u001b]0;owned\u0007\u001b[2J";
    d.bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 1 }));
    d.bus.publish(f.make("PortFound", { target: "198.18.0.1", port: 80, protocol: "Tcp", state: "Open", reason: "syn-ack" }));
    d.bus.publish(f.make("ServiceDetected", { target: "198.18.0.1", port: 80, service: "HTTP", version: `x${owned}`, confidence: 90 }));
    d.bus.publish(f.make("WarningIssued", { message: `w${owned}`, severity: "high", code: "odd" }));
    d.time.advance(1000);
    expect(d.out.text()).not.toContain(owned);
    expect(d.screen().text()).toContain("x\\x1b]0;owned\\x07");
    d.handle.close();
  });

  test("redraws at most 60 times a second and only when something changed", () => {
    const d = live();
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", d.time);
    d.bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 65535 }));
    const dash = () => d.out.chunks.length;
    const start = dash();
    for (let i = 0; i < 1000; i++) {
      d.bus.publish(f.portFound({ target: "198.18.0.9", port: 1 + i, protocol: "Tcp", state: "Open", reason: "syn-ack" }));
      d.time.advance(1); // 1,000 events a second for one second
    }
    const writes = dash() - start;
    expect(writes).toBeGreaterThan(50);
    expect(writes).toBeLessThanOrEqual(61);
    d.time.advance(20); // the frame still due for the last event
    d.out.clear();
    d.time.advance(900); // nothing changes within the same second: nothing is written
    expect(d.out.chunks.length).toBe(0);
    d.handle.close();
  });

  test("p pauses and resumes through the scan control; q cancels, then leaves", async () => {
    const d = live();
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", d.time);
    d.bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 100 }));
    await d.type("p");
    expect(d.control.calls).toEqual(["pause"]);
    d.bus.publish(f.make("ScanPaused", { reason: "user_requested" }));
    d.time.advance(100);
    expect(d.screen().text()).toContain("PAUSED");
    expect(d.screen().text()).toContain("p resume");
    await d.type("p");
    expect(d.control.calls).toEqual(["pause", "resume"]);
    let left = false;
    void d.handle.exited.then(() => (left = true));
    await d.type("q");
    expect(d.control.calls.at(-1)).toBe("cancel user_requested");
    await Promise.resolve();
    expect(left).toBe(false);
    d.bus.publish(f.make("ScanCancelled", { reason: "user_requested", partial_results: true }));
    d.time.advance(100);
    await Promise.resolve();
    expect(left).toBe(true);
    d.handle.close();
  });

  test("arrow keys and pages scroll the ports table; End follows new ports again", async () => {
    const d = live(100, 24);
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", d.time);
    d.bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 100 }));
    for (let p = 1; p <= 40; p++) d.bus.publish(f.portFound({ target: "198.18.0.7", port: p, protocol: "Tcp", state: "Open", reason: "syn-ack" }));
    d.time.advance(100);
    expect(d.screen().text()).toContain("Open ports (40, 32-40 shown)");
    await d.type("\x1b[H");
    d.time.advance(100);
    expect(d.screen().text()).toContain("Open ports (40, 1-9 shown)");
    await d.type("\x1b[6~");
    await d.type("\x1b[B");
    d.time.advance(100);
    expect(d.screen().text()).toContain("Open ports (40, 11-19 shown)");
    d.bus.publish(f.portFound({ target: "198.18.0.7", port: 41, protocol: "Tcp", state: "Open", reason: "syn-ack" }));
    d.time.advance(100);
    expect(d.screen().text()).toContain("Open ports (41, 11-19 shown)");
    await d.type("\x1b[F");
    d.time.advance(100);
    expect(d.screen().text()).toContain("Open ports (41, 33-41 shown)");
    await d.type("?");
    d.time.advance(100);
    expect(d.screen().text()).toContain("pause or resume");
    d.handle.close();
  });

  test("a resize re-lays the whole screen", () => {
    const d = live(120, 30);
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", d.time);
    d.bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 100 }));
    d.out.columns = 60;
    d.out.rows = 20;
    d.out.clear();
    d.signals.get("SIGWINCH")!();
    d.time.advance(100);
    const s = d.screen();
    expect(d.out.text().startsWith("\x1b[2J")).toBe(true);
    expect(s.lines()[19]).toContain("q cancel");
    expect(s.lines().every((l) => l.length <= 60)).toBe(true);
    d.out.columns = 30;
    d.out.clear();
    d.time.advance(1000);
    expect(d.screen().text()).toContain("terminal too small");
    d.handle.close();
  });

  test("on an 80-column terminal the header keeps the elapsed time, leaving out the scan id", () => {
    const d = live(80, 24);
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", d.time);
    d.bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 65535 }));
    d.time.advance(7_000);
    expect(d.screen().lines()[0]).toBe(" prtip RUNNING │ Connect │ 1 target × 65,535 ports │ elapsed 0:07");
    d.out.columns = 40;
    d.out.clear();
    d.signals.get("SIGWINCH")!();
    d.time.advance(1000);
    expect(d.screen().lines()[0]).toBe(" prtip RUNNING │ Connect │ elapsed 0:08");
    d.handle.close();
  });

  test("a terminal too small for the dashboard says so in full, even 40x10", () => {
    const d = live(40, 10);
    d.time.advance(100);
    const text = d.screen().lines().join("\n");
    expect(text).toContain("terminal too small");
    expect(text).toContain("need 40x14, have 40x10");
    d.handle.close();
  });

  test("the terminal is restored on close and on SIGINT, and SIGINT cancels the scan", () => {
    for (const how of ["close", "SIGINT", "SIGTERM"] as const) {
      const d = live();
      const s = () => d.screen();
      expect(s().alternate).toBe(true);
      expect(s().cursorVisible).toBe(false);
      if (how === "close") d.handle.close();
      else d.signals.get(how)!();
      expect(s().alternate).toBe(false);
      expect(s().cursorVisible).toBe(true);
      expect(s().wrap).toBe(true);
      expect(d.raw).toEqual([true, false]);
      expect(d.signals.size).toBe(0);
      if (how !== "close") expect(d.control.calls).toEqual([`cancel interrupted by ${how}`]);
      d.handle.close();
      expect(d.raw).toEqual([true, false]);
    }
  });

  test("colour codes appear only when colour is on (NO_COLOR)", () => {
    const plain = live(120, 30, true);
    expect(plain.out.text()).not.toMatch(/\x1b\[[0-9;]*m/);
    plain.handle.close();
    const coloured = live(120, 30, false);
    expect(coloured.out.text()).toMatch(/\x1b\[1m/);
    coloured.handle.close();
  });
});

describe("--live and result lines", () => {
  test("result lines are held while the screen is up and written in order after it is gone", () => {
    const time = new FakeTime();
    const bus = new EventBus();
    const term = new FakeOutput(true);
    const stdout = new FakeOutput(true);
    const h = attachProgress(bus, { live: true, isTTY: true, noColor: true }, { out: term, clock: time, scheduler: time });
    h.printAbove("first", stdout);
    h.printAbove("second\n", stdout);
    expect(stdout.text()).toBe("");
    h.close();
    expect(stdout.text()).toBe("first\nsecond\n");
    const screen = new VirtualScreen(term.columns, term.rows);
    screen.feed(term.text());
    expect(screen.alternate).toBe(false);
    h.printAbove("third", stdout);
    expect(stdout.text()).toBe("first\nsecond\nthird\n");
  });
});

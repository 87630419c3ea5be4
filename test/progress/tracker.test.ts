import { describe, expect, test } from "bun:test";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import type { FieldsOf } from "../../src/events/index.ts";
import { ProgressTracker } from "../../src/progress/index.ts";
import { ProgressMeter } from "../../src/scan/progress-meter.ts";
import { FakeTime } from "./fakes.ts";
import { scanWide, syntheticScan } from "./synthetic-scan.ts";

function setup(skip: ("HostDiscovery" | "ServiceDetection")[] = []) {
  const time = new FakeTime();
  const bus = new EventBus();
  const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", time);
  const tracker = new ProgressTracker({ clock: time, skipStages: skip });
  bus.on({}, tracker.handle);
  // `percentage` here is the stage's own; the event carries the scan-wide one, as prtip's engine publishes it.
  const update = (stage: number, percentage: number): FieldsOf<"ProgressUpdate"> => ({
    stage,
    percentage: scanWide(stage, percentage),
    completed: percentage,
    total: 100,
    pps: 1000,
    ports_per_sec: 1000,
    hosts_per_min: 60,
    bandwidth_bps: 480_000,
    eta_seconds: null,
  });
  return { time, bus, f, tracker, update };
}

describe("progress tracker", () => {
  test("percent never decreases and never passes 100", () => {
    const { bus, f, tracker, update, time } = setup();
    bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 100 }));
    bus.publish(f.make("StageChanged", { from: null, to: "PortScanning", stage: 3 }));
    const seen: number[] = [];
    for (const p of [10, 40, 30, 60, 59, 100, 100]) {
      time.advance(1000);
      bus.publish(f.make("ProgressUpdate", update(3, p)));
      seen.push(tracker.snapshot().stages[2]!.percent);
    }
    expect(seen).toEqual([10, 40, 40, 60, 60, 100, 100]);
    const overall = tracker.snapshot().percent;
    expect(overall).toBeLessThanOrEqual(100);
    bus.publish(f.make("StageChanged", { from: "PortScanning", to: "Finalization", stage: 5 }));
    expect(tracker.snapshot().percent).toBeGreaterThanOrEqual(overall);
  });

  test("a stage jumped over is skipped and the weights of the rest grow", () => {
    const { bus, f, tracker } = setup();
    bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 100 }));
    bus.publish(f.make("StageChanged", { from: null, to: "TargetResolution", stage: 1 }));
    bus.publish(f.make("StageChanged", { from: "TargetResolution", to: "PortScanning", stage: 3 }));
    const s = tracker.snapshot();
    expect(s.stages.map((x) => x.state)).toEqual(["done", "skipped", "active", "pending", "pending"]);
    expect(s.percent).toBeCloseTo((0.02 / 0.92) * 100, 6);
  });

  test("skipStages from the flags (-Pn, no -sV) are skipped from the start", () => {
    const { tracker } = setup(["HostDiscovery", "ServiceDetection"]);
    expect(tracker.snapshot().stages.map((x) => x.state)).toEqual(["pending", "skipped", "pending", "skipped", "pending"]);
  });

  test("no ETA in the first 2 s, one after, 0 once completed", () => {
    const { bus, f, tracker, update, time } = setup();
    bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 100 }));
    bus.publish(f.make("StageChanged", { from: null, to: "PortScanning", stage: 3 }));
    time.advance(1000);
    bus.publish(f.make("ProgressUpdate", update(3, 20)));
    expect(tracker.snapshot().eta).toEqual({ state: "estimating" });
    for (let i = 2; i <= 4; i++) {
      time.advance(1000);
      bus.publish(f.make("ProgressUpdate", update(3, 20 * i)));
    }
    expect(tracker.snapshot().eta.state).toBe("known");
    bus.publish(
      f.make("ScanCompleted", {
        targets_scanned: 1,
        ports_scanned: 100,
        duration: 4,
        hosts_up: 1,
        open_ports: 0,
        closed_ports: 0,
        filtered_ports: 100,
        services_detected: 0,
      }),
    );
    const done = tracker.snapshot();
    expect(done.percent).toBe(100);
    expect(done.eta).toEqual({ state: "known", seconds: 0 });
    expect(done.status).toBe("completed");
  });

  test("paused time counts in elapsed but not in the ETA's clock", () => {
    const { bus, f, tracker, update, time } = setup();
    bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 100 }));
    bus.publish(f.make("StageChanged", { from: null, to: "PortScanning", stage: 3 }));
    for (let i = 1; i <= 10; i++) {
      time.advance(1000);
      bus.publish(f.make("ProgressUpdate", update(3, i * 5)));
    }
    const before = tracker.snapshot().stages[2]!.seconds!;
    bus.publish(f.make("ScanPaused", { reason: "user_requested" }));
    time.advance(60_000);
    expect(tracker.snapshot().status).toBe("paused");
    expect(tracker.snapshot().elapsed).toBe(10); // frozen while paused
    bus.publish(f.make("ScanResumed", { paused_seconds: 60 }));
    expect(tracker.snapshot().elapsed).toBe(70);
    expect(tracker.snapshot().stages[2]!.seconds).toBeCloseTo(before, 6);
  });

  test("open ports collect their service and banner; closed ones are not listed", () => {
    const { bus, f, tracker } = setup();
    bus.publish(f.portFound({ target: "198.18.0.5", port: 22, protocol: "Tcp", state: "Open", reason: "syn-ack" }));
    bus.publish(f.portFound({ target: "198.18.0.5", port: 23, protocol: "Tcp", state: "Closed", reason: "rst" }));
    bus.publish(f.make("ServiceDetected", { target: "198.18.0.5", port: 22, service: "SSH", version: "OpenSSH 9.2", confidence: 95 }));
    bus.publish(f.make("BannerGrabbed", { target: "198.18.0.5", port: 22, protocol: "Tcp", banner: "SSH-2.0-OpenSSH_9.2\r\n" }));
    expect(tracker.ports.rows).toEqual([
      { target: "198.18.0.5", port: 22, protocol: "Tcp", state: "Open", service: "SSH", version: "OpenSSH 9.2", confidence: 95, banner: "SSH-2.0-OpenSSH_9.2" },
    ]);
  });

  test("every published event is seen, and a gap in seq is counted", () => {
    const { bus, f, tracker } = setup();
    for (let i = 0; i < 100; i++) bus.publish(f.make("MetricRecorded", { metric: "packets_sent", value: i }));
    expect(tracker.eventsSeen).toBe(bus.stats().published);
    expect(tracker.seqGaps).toBe(0);
    const e = f.make("MetricRecorded", { metric: "packets_sent", value: 1 });
    e.seq = 105;
    tracker.handle(e);
    expect(tracker.seqGaps).toBe(4);
  });
});

describe("ETA convergence on scan-shaped traces", () => {
  const scenarios = [
    { name: "/24 with discovery and -sV", o: {}, skip: [] as ("HostDiscovery" | "ServiceDetection")[] },
    { name: "-Pn without -sV", o: { discovery: false, serviceDetection: false }, skip: ["HostDiscovery", "ServiceDetection"] as ("HostDiscovery" | "ServiceDetection")[] },
    { name: "rate halved mid-scan", o: { steps: [{ at: 0.4, factor: 0.5 }] }, skip: [] as ("HostDiscovery" | "ServiceDetection")[] },
  ];
  for (const sc of scenarios) {
    test(`multi-stage ETA errs less near the end than in the first half (${sc.name})`, () => {
      const trace = syntheticScan({ seed: 11, ...sc.o });
      const time = new FakeTime(trace.start);
      const tracker = new ProgressTracker({ clock: time, skipStages: sc.skip });
      const early: number[] = [];
      const late: number[] = [];
      const duration = trace.end - trace.start;
      let next = trace.start + 0.1 * duration;
      for (const e of trace.events) {
        while (e.timestamp > next && next < trace.end) {
          time.t = next;
          const eta = tracker.snapshot().eta;
          const done = (next - trace.start) / duration;
          if (eta.state === "known") {
            const err = Math.abs(eta.seconds - (trace.end - next) / 1000);
            if (done < 0.5) early.push(err);
            else if (done >= 0.9) late.push(err);
          }
          next += duration / 100;
        }
        time.t = e.timestamp;
        tracker.handle(e);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(early.length).toBeGreaterThan(20);
      expect(late.length).toBeGreaterThan(5);
      expect(mean(late)).toBeLessThan(mean(early));
      expect(tracker.snapshot().eta).toEqual({ state: "known", seconds: 0 });
    });
  }
});

describe("progress tracker on an engine-shaped scan", () => {
  // As prtip's engine reports a /24 in the lab: percentage is the whole scan's
  // (discovery 2-10%, port scan 10-95%), completed/total count the stage's own
  // units; discovery waits 4 s for ARP timeouts, the port scan runs 10 s at a
  // steady rate, service detection and finalization take no time.
  function engineScan(time: FakeTime, tracker: ProgressTracker, askAt: number): number | null {
    const bus = new EventBus();
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", time);
    bus.on({}, tracker.handle);
    const start = time.t;
    const at = (s: number) => time.advance(start + s * 1000 - time.t);
    const update = (stage: number, percentage: number, completed: number, total: number) =>
      bus.publish(
        f.make("ProgressUpdate", { stage, percentage, completed, total, pps: 2500, ports_per_sec: 2500, hosts_per_min: 0, bandwidth_bps: 0, eta_seconds: null }),
      );
    let eta: number | null = null;
    const ask = (s: number) => {
      if (s !== askAt) return;
      at(s);
      const e = tracker.snapshot().eta;
      eta = e.state === "known" ? e.seconds : null;
    };
    bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 256, port_count: 1000 }));
    bus.publish(f.make("StageChanged", { from: null, to: "TargetResolution", stage: 1 }));
    bus.publish(f.make("StageChanged", { from: "TargetResolution", to: "HostDiscovery", stage: 2 }));
    for (let s = 0.25; s < 4; s += 0.25) {
      at(s);
      const done = s < 2 ? 22 : 152;
      update(2, 2 + (8 * done) / 256, done, 256);
    }
    at(4);
    bus.publish(f.make("StageChanged", { from: "HostDiscovery", to: "PortScanning", stage: 3 }));
    for (let s = 4.25; s <= 14; s += 0.25) {
      ask(s);
      at(s);
      const done = Math.round(((s - 4) / 10) * 25_000);
      update(3, 10 + (85 * done) / 25_000, done, 25_000);
    }
    bus.publish(f.make("StageChanged", { from: "PortScanning", to: "ServiceDetection", stage: 4 }));
    bus.publish(f.make("StageChanged", { from: "ServiceDetection", to: "Finalization", stage: 5 }));
    bus.publish(f.make("ScanCompleted", { targets_scanned: 256, ports_scanned: 25_000, duration: 14, hosts_up: 25, open_ports: 0, closed_ports: 25_000, filtered_ports: 0, services_detected: 0 }));
    return eta;
  }

  test("the port scan's size at its own send rate reaches the ETA: probes over pps, from its updates only", () => {
    const { bus, f, tracker, update, time } = setup(["ServiceDetection"]);
    const seen: (number | null | undefined)[] = [];
    const estimator = tracker.estimator;
    const remaining = estimator.remaining.bind(estimator);
    estimator.remaining = (input) => {
      seen.push(input.stages[2]!.sizedSeconds);
      return remaining(input);
    };
    bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 256, port_count: 1000 }));
    bus.publish(f.make("StageChanged", { from: null, to: "HostDiscovery", stage: 2 }));
    time.advance(1000);
    bus.publish(f.make("ProgressUpdate", { ...update(2, 50), total: 256, pps: 300 }));
    bus.publish(f.make("StageChanged", { from: "HostDiscovery", to: "PortScanning", stage: 3 }));
    expect(seen.at(-1)).toBeNull(); // discovery's hosts and rate say nothing of the port scan
    time.advance(500);
    bus.publish(f.make("ProgressUpdate", { ...update(3, 4), total: 25_000, pps: 2_500 }));
    expect(seen.at(-1)).toBe(10);
  });

  test("a stage's own progress is its span of the scan-wide percentage, which counts probes sent before any answer", () => {
    const time = new FakeTime();
    const tracker = new ProgressTracker({ clock: time, skipStages: ["ServiceDetection"] });
    engineScan(time, tracker, -1);
    const t2 = new FakeTime();
    const bus = new EventBus();
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", t2);
    const half = new ProgressTracker({ clock: t2 });
    bus.on({}, half.handle);
    bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 100 }));
    const up = (percentage: number, completed: number, total: number) =>
      bus.publish(f.make("ProgressUpdate", { stage: 3, percentage, completed, total, pps: 1, ports_per_sec: 1, hosts_per_min: 0, bandwidth_bps: 0, eta_seconds: null }));
    up(52.5, 50, 100); // port scanning spans 10-95%: half of it
    expect(half.snapshot().stages[2]!.percent).toBe(50);
    up(60, 0, 100); // every probe sent, no answer yet: completed is 0, the stage is not
    expect(half.snapshot().stages[2]!.percent).toBeCloseTo(58.82, 2);
    expect(tracker.snapshot().stages[2]).toMatchObject({ state: "done", percent: 100 });
  });

  test("multi-stage ETA is within 10% of the truth at half time and later", () => {
    for (const askAt of [7, 10.5]) {
      const time = new FakeTime();
      const eta = engineScan(time, new ProgressTracker({ clock: time, skipStages: ["ServiceDetection"] }), askAt);
      const truth = 14 - askAt;
      expect(eta).not.toBeNull();
      expect(Math.abs(eta! - truth) / truth).toBeLessThan(0.1);
    }
  });
});

describe("progress tracker when a scan stops, pauses or skips stages", () => {
  function scan(skip: ("HostDiscovery" | "ServiceDetection")[] = ["ServiceDetection"]) {
    const { time, bus, f, tracker } = setup(skip);
    const publish = <T extends Parameters<typeof f.make>[0]>(type: T, fields: Parameters<typeof f.make<T>>[1]) => bus.publish(f.make(type, fields));
    const up = (stage: number, percentage: number, pps = 200): void => {
      publish("ProgressUpdate", { stage, percentage, completed: 0, total: 4000, pps, ports_per_sec: pps, hosts_per_min: 0, bandwidth_bps: pps * 592, eta_seconds: null });
    };
    publish("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 4000 });
    publish("StageChanged", { from: null, to: "TargetResolution", stage: 1 });
    publish("StageChanged", { from: "TargetResolution", to: "HostDiscovery", stage: 2 });
    publish("StageChanged", { from: "HostDiscovery", to: "PortScanning", stage: 3 });
    for (let s = 1; s <= 5; s++) {
      time.advance(1000);
      up(3, 10 + 85 * 0.05 * s); // 5% of the port scan a second
    }
    return { time, tracker, publish, up };
  }

  test("a cancelled scan's last frame shows where it stopped, not 100%: stage percent, overall, skipped stages, rate 0", () => {
    const { tracker, publish, up } = scan();
    const before = tracker.snapshot();
    up(3, 10 + 85 * 0.25, 0); // the engine's last update, sending stopped
    publish("ScanCancelled", { reason: "interrupted by SIGINT", partial_results: true });
    const s = tracker.snapshot();
    expect(s.status).toBe("cancelled");
    expect(s.stage).toBe(3);
    expect(s.stages.map((st) => [st.state, Math.round(st.percent)])).toEqual([
      ["done", 100],
      ["done", 100],
      ["active", 25],
      ["skipped", 0],
      ["pending", 0],
    ]);
    expect(s.percent).toBeCloseTo(before.percent, 5);
    expect(s.percent).toBeLessThan(40);
    expect(s.pps).toBe(0);
    expect(s.bandwidthBps).toBe(0);
    expect(s.eta).toEqual({ state: "cancelled" });
  });

  test("a cancel reads rate 0 even when the last update still carried the sending rate", () => {
    const { tracker, publish } = scan();
    publish("ScanCancelled", { reason: "interrupted by SIGINT", partial_results: true });
    expect(tracker.snapshot().pps).toBe(0);
  });

  test("while paused the ETA says paused and the rate is 0 at once, whatever the updates in between say", () => {
    const { time, tracker, publish, up } = scan();
    expect(tracker.snapshot().eta.state).toBe("known");
    publish("ScanPaused", { reason: "user_requested" });
    expect(tracker.snapshot().pps).toBe(0);
    time.advance(1000);
    up(3, 10 + 85 * 0.25, 120); // an older engine's decaying window average
    expect(tracker.snapshot()).toMatchObject({ status: "paused", pps: 0, eta: { state: "paused" }, stageEta: { state: "paused" } });
    time.advance(5000);
    publish("ScanResumed", { paused_seconds: 6 });
    const after = tracker.snapshot();
    expect(after.eta.state).toBe("known");
    // 25% in 5 active seconds: 15 s left, the 6 s paused are no slowness
    if (after.eta.state === "known") expect(after.eta.seconds).toBeLessThan(20);
  });

  test("a skipped stage stays skipped to the end, even when the engine passes through it", () => {
    const { tracker, publish, up } = scan(["HostDiscovery", "ServiceDetection"]);
    up(3, 95);
    publish("StageChanged", { from: "PortScanning", to: "ServiceDetection", stage: 4 });
    publish("StageChanged", { from: "ServiceDetection", to: "Finalization", stage: 5 });
    publish("ScanCompleted", { targets_scanned: 1, ports_scanned: 4000, duration: 6, hosts_up: 1, open_ports: 0, closed_ports: 4000, filtered_ports: 0, services_detected: 0 });
    const s = tracker.snapshot();
    expect(s.stages.map((st) => st.state)).toEqual(["done", "skipped", "done", "skipped", "done"]);
    expect(s.stages[1]!.percent).toBe(0);
    expect(s.stages[3]!.percent).toBe(0);
  });

  test("with -Pn (discovery skipped) the hosts-up count follows the targets scanned and ends as the report's", () => {
    const { tracker, publish } = scan(["HostDiscovery", "ServiceDetection"]);
    expect(tracker.snapshot().hostsUp).toBe(0);
    publish("PortFound", { target: "127.0.0.1", port: 1, protocol: "Tcp", state: "Closed", reason: "rst" });
    publish("PortFound", { target: "127.0.0.1", port: 2, protocol: "Tcp", state: "Closed", reason: "rst" });
    expect(tracker.snapshot().hostsUp).toBe(1);
    publish("ScanCompleted", { targets_scanned: 2, ports_scanned: 8000, duration: 6, hosts_up: 2, open_ports: 0, closed_ports: 8000, filtered_ports: 0, services_detected: 0 });
    expect(tracker.snapshot().hostsUp).toBe(2);
  });
});

describe("progress tracker on the engine's meter when nothing answers", () => {
  test("filtered ports: the bar moves while probes go out and the shown ETA is seconds, not minutes (fake clock)", () => {
    // 300 filtered ports at 50 probes/s through the engine's own meter; each probe's final timeout 2 s after it left.
    const time = new FakeTime();
    const bus = new EventBus();
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", time);
    const tracker = new ProgressTracker({ clock: time, skipStages: ["ServiceDetection"] });
    bus.on({}, tracker.handle);
    const meter = new ProgressMeter();
    const start = time.t;
    bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 300 }));
    bus.publish(f.make("StageChanged", { from: null, to: "PortScanning", stage: 3 }));
    meter.enter(3, 300, start, 0);
    meter.tail(2000);
    const shown: { t: number; percent: number; eta: number | null }[] = [];
    for (let t = 250; t <= 8000; t += 250) {
      time.advance(start + t - time.t);
      const sent = Math.min(300, (t / 1000) * 50);
      meter.issued(sent);
      meter.set(t > 2000 ? Math.min(300, ((t - 2000) / 1000) * 50) : 0);
      bus.publish(f.make("ProgressUpdate", meter.snapshot(start + t, sent)));
      const s = tracker.snapshot();
      shown.push({ t: t / 1000, percent: s.stages[2]!.percent, eta: s.eta.state === "known" ? s.eta.seconds : null });
    }
    if (process.env.SHOW_ETA) console.log(shown.map((x) => `${x.t}:${x.percent.toFixed(0)}/${x.eta?.toFixed(1)}`).join(" "));
    expect(shown.find((x) => x.t === 1.5)!.percent).toBeGreaterThan(10);
    for (const x of shown) {
      if (x.eta !== null) expect(x.eta).toBeLessThan(2 * (8 - x.t) + 2);
    }
    expect(shown.filter((x) => x.t >= 3).every((x) => x.eta !== null)).toBe(true);
  });
});

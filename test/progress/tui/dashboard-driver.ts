// Plays a synthetic scan into an EventBus with the --live dashboard attached,
// on the real terminal: the tmux test drives it with send-keys. Until the
// `prtip log replay --live` command exists on this branch this stands in for it.
// Usage: bun test/progress/tui/dashboard-driver.ts [--step-ms N] [--seed N]
import { EventBus, EventFactory } from "../../../src/events/index.ts";
import { GateControl, attachProgress } from "../../../src/progress/index.ts";
import { bunRuntime } from "../../../src/runtime/bun.ts";
import { systemClock } from "../../../src/runtime/capabilities.ts";
import { syntheticScan } from "../synthetic-scan.ts";

const rt = bunRuntime;
const args = rt.args();
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const stepMs = option("--step-ms", 250);
const trace = syntheticScan({ seed: option("--seed", 7), targets: 64, ports: 1000, rate: 400, openRatio: 0.004 });

const bus = new EventBus();
const factory = new EventFactory(trace.scanId, systemClock);
let playedUntil = trace.start;
// The lifecycle events carry the trace's time so the tracker's clock stays the recorded scan's.
const stamp = <T extends { timestamp: number }>(e: T): T => ({ ...e, timestamp: playedUntil });
const control = new GateControl(systemClock, {
  onPause: () => bus.publish(stamp(factory.make("ScanPaused", { reason: "user_requested" }))),
  onResume: (s) => bus.publish(stamp(factory.make("ScanResumed", { paused_seconds: s }))),
  onCancel: (r) => bus.publish(stamp(factory.make("ScanCancelled", { reason: r, partial_results: true }))),
});
const handle = attachProgress(
  bus,
  { live: true, isTTY: rt.stdout.isTTY, noColor: (rt.env("NO_COLOR") ?? "") !== "" },
  {
    out: rt.stdout,
    clock: systemClock,
    keys: rt.stdin(),
    setRawMode: (on) => rt.setRawMode(on),
    onSignal: (s, fn) => rt.onSignal(s, fn),
    control,
  },
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let outcome = "ScanCompleted";
try {
  for (const e of trace.events) {
    if (control.cancelled !== null) {
      outcome = "ScanCancelled";
      break;
    }
    const wait = ((e.timestamp - playedUntil) / 1000) * stepMs;
    if (wait >= 1) await sleep(wait);
    await control.wait();
    if (control.cancelled !== null) {
      outcome = "ScanCancelled";
      break;
    }
    playedUntil = Math.max(playedUntil, e.timestamp);
    bus.publish(e);
  }
  await handle.exited;
} finally {
  handle.close();
}
const seen = handle.tracker?.eventsSeen ?? 0;
const stats = bus.stats();
rt.stdout.write(
  `driver: ${outcome}; published ${stats.published}, seen ${seen}, seq gaps ${handle.tracker?.seqGaps ?? -1}, listener errors ${stats.listenerErrors}\n`,
);
rt.exit(0);

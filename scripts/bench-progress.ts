// npm run bench:progress [-- --quick] [-- --lab | --logs DIR] — what the progress
// display costs and how good its ETAs are.
//
// 1. ETA error at 25/50/75% of the scan's wall time for linear, EWMA and
//    multi-stage. Error = |ETA - true time left| / true time left.
//    a. On synthetic scan-shaped traces (always).
//    b. With --lab (root, dist/prtip from npm run build): on real scans the
//       binary records with --event-log inside the namespaced lab (a /24 at
//       2500 pps twice, one host -p-, -sV, 5% loss; see bench-progress-lab.ts),
//       each log's events replayed through the tracker on a fake clock set to
//       each event's timestamp. --logs DIR replays the logs of an earlier run.
// 2. The event system's cost. With --lab: the lab /24 scan (a) with --live in
//    a 160x50 pty plus --event-log vs (b) --no-progress without a log, wall
//    time medians of interleaved runs (--runs N, default 5) and their ratio;
//    every log of (a) is checked for seq gaps. Always: the --live dashboard at
//    10,000 events/s in-process (frame build time, per-event cost against a
//    bus with no subscriber, the bus's counters proving no event was dropped).
import { EventBus, EventFactory, decodeEvent, isKnownEvent } from "../src/events/index.ts";
import type { AnyEvent, ScanEvent, StageName } from "../src/events/index.ts";
import { ProgressTracker, attachProgress } from "../src/progress/index.ts";
import type { EtaMethod } from "../src/progress/index.ts";
import { FakeOutput, FakeTime } from "../test/progress/fakes.ts";
import { syntheticScan } from "../test/progress/synthetic-scan.ts";
import { LAB_SCENARIOS, SLASH24_ARGS, readLines, recordScans, requireBinary, runPrtip, scratchDir, withLab } from "./bench-progress-lab.ts";
import type { LabScenario } from "./bench-progress-lab.ts";
import type { TraceOptions } from "../test/progress/synthetic-scan.ts";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const flagValue = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
/** --lab: record real scans in the namespaced lab (root, dist/prtip) and time the event system there. */
const lab = argv.includes("--lab");
/** --logs DIR: replay logs recorded by an earlier --lab run (kept in DIR) instead of scanning again. */
const logsDir = flagValue("--logs");
const costRuns = Number(flagValue("--runs") ?? (quick ? 3 : 5));
const SEEDS = quick ? 5 : 25;
const METHODS: EtaMethod[] = ["linear", "ewma", "multi"];
const POINTS = [0.25, 0.5, 0.75];

const median = (xs: number[]) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (x: number) => (Number.isNaN(x) ? "  n/a" : `${(x * 100).toFixed(1).padStart(5)}%`);

const SCENARIOS: { name: string; o: TraceOptions }[] = [
  { name: "/24 SYN top-1000 -sV", o: { targets: 256, ports: 1000, rate: 5000, noise: 0.15, openRatio: 0.002, tailSeconds: 3 } },
  { name: "-Pn no -sV, rate halved at 40%", o: { targets: 256, ports: 100, discovery: false, serviceDetection: false, rate: 1000, steps: [{ at: 0.4, factor: 0.5 }] } },
  { name: "/24 stall 20 s at 50%", o: { targets: 256, ports: 1000, rate: 5000, stall: { at: 0.5, seconds: 20 }, openRatio: 0.002 } },
  { name: "-sV heavy (many open ports)", o: { targets: 64, ports: 1000, rate: 3000, openRatio: 0.02, probeSeconds: 3 } },
  { name: "slow noisy (UDP-like)", o: { targets: 16, ports: 1000, rate: 150, noise: 0.4, discovery: false, tailSeconds: 10 } },
];

/** Relative ETA error at each of POINTS of the scan's wall time, replaying `events` on a fake clock. */
function etaErrors(
  events: readonly ScanEvent[],
  start: number,
  end: number,
  skipStages: readonly StageName[],
  method: EtaMethod,
): (number | null)[] {
  const time = new FakeTime(start);
  const tracker = new ProgressTracker({ clock: time, eta: method, skipStages });
  const queries = POINTS.map((p) => start + p * (end - start));
  const out: (number | null)[] = [];
  let q = 0;
  const ask = (at: number) => {
    time.t = at;
    const eta = tracker.snapshot().eta;
    const truth = (end - at) / 1000;
    out.push(eta.state === "known" ? Math.abs(eta.seconds - truth) / truth : null);
  };
  for (const e of events) {
    while (q < queries.length && e.timestamp > queries[q]!) ask(queries[q++]!);
    time.t = e.timestamp;
    tracker.handle(e);
  }
  while (q < queries.length) ask(queries[q++]!);
  return out;
}

/** The scan command knows -Pn and -sV up front and tells the tracker, as here. */
function skipped(o: TraceOptions): StageName[] {
  const skip: StageName[] = [];
  if (o.discovery === false) skip.push("HostDiscovery");
  if (o.serviceDetection === false) skip.push("ServiceDetection");
  return skip;
}

function etaTable(): void {
  console.log(`\n## ETA error (|ETA - truth| / truth, median over ${SEEDS} seeds; n/a = no estimate given)\n`);
  console.log(`| scenario | scan s | ${METHODS.flatMap((m) => POINTS.map((p) => `${m} ${p * 100}%`)).join(" | ")} |`);
  console.log(`| --- | ---: | ${METHODS.flatMap(() => POINTS.map(() => "---:")).join(" | ")} |`);
  const all = new Map<string, number[]>();
  for (const sc of SCENARIOS) {
    const cells: string[] = [];
    const durations: number[] = [];
    const errs = new Map<string, number[]>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const trace = syntheticScan({ ...sc.o, seed });
      durations.push((trace.end - trace.start) / 1000);
      for (const m of METHODS) {
        etaErrors(trace.events, trace.start, trace.end, skipped(sc.o), m).forEach((err, i) => {
          const key = `${m}@${POINTS[i]}`;
          if (err !== null) {
            errs.set(key, [...(errs.get(key) ?? []), err]);
            all.set(key, [...(all.get(key) ?? []), err]);
          }
        });
      }
    }
    for (const m of METHODS) for (const p of POINTS) cells.push(pct(median(errs.get(`${m}@${p}`) ?? [])));
    console.log(`| ${sc.name} | ${median(durations).toFixed(0)} | ${cells.join(" | ")} |`);
  }
  const overall = METHODS.flatMap((m) => POINTS.map((p) => pct(median(all.get(`${m}@${p}`) ?? []))));
  console.log(`| **all scenarios** | | ${overall.join(" | ")} |`);
}

/** A scan's event mix at `rate` events/s of scan time: mostly closed/filtered answers. */
function eventStream(count: number, rate: number, start: number): ScanEvent[] {
  let now = start;
  const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a", { now: () => now });
  const events: ScanEvent[] = [f.make("ScanStarted", { scan_type: "Syn", target_count: 256, port_count: 65535 })];
  events.push(f.make("StageChanged", { from: null, to: "PortScanning", stage: 3 }));
  for (let i = 0; i < count; i++) {
    now = start + (i * 1000) / rate;
    const target = `198.18.${(i >> 16) & 255}.${(i >> 8) & 255}`;
    const port = 1 + (i % 65535);
    if (i % 1000 === 0) {
      events.push(
        f.make("ProgressUpdate", {
          stage: 3,
          percentage: (i / count) * 100,
          completed: i,
          total: count,
          pps: rate,
          ports_per_sec: rate,
          hosts_per_min: 60,
          bandwidth_bps: rate * 480,
          eta_seconds: null,
        }),
      );
    } else if (i % 97 === 0) {
      events.push(f.portFound({ target, port, protocol: "Tcp", state: "Open", reason: "syn-ack" }));
    } else if (i % 1999 === 0) {
      events.push(f.make("BannerGrabbed", { target, port, protocol: "Tcp", banner: "SSH-2.0-OpenSSH_9.2" }));
    } else if (i % 4999 === 0) {
      events.push(f.make("WarningIssued", { message: "retransmitting", severity: "low", code: "retransmit" }));
    } else if (i % 500 === 0) {
      events.push(f.make("MetricRecorded", { metric: "packets_sent", value: i }));
    } else {
      events.push(f.portFound({ target, port, protocol: "Tcp", state: i % 3 ? "Filtered" : "Closed", reason: "no-response" }));
    }
  }
  return events;
}

function fresh(events: ScanEvent[]): ScanEvent[] {
  return events.map((e) => ({ ...e, seq: 0 }));
}

function liveCost(): void {
  const RATE = 10_000;
  const COUNT = quick ? 50_000 : 200_000;
  const ROUNDS = quick ? 3 : 7;
  const base = eventStream(COUNT, RATE, Date.UTC(2024, 10, 15, 10, 30, 0));
  const peer: number[] = [];
  const live: number[] = [];
  const line: number[] = [];
  const frameTimes: number[] = [];
  let proof = "";
  for (let r = 0; r < ROUNDS; r++) {
    {
      // Same loop and fake clock as below, nothing subscribed.
      const bus = new EventBus();
      const events = fresh(base);
      const time = new FakeTime(base[0]!.timestamp);
      const t0 = performance.now();
      for (const e of events) {
        if (e.timestamp > time.t) time.advance(e.timestamp - time.t);
        bus.publish(e);
      }
      peer.push(performance.now() - t0);
    }
    for (const mode of ["live", "line"] as const) {
      const bus = new EventBus();
      const events = fresh(base);
      const time = new FakeTime(base[0]!.timestamp);
      const out = new FakeOutput(true, 160, 50);
      const h = attachProgress(
        bus,
        { live: mode === "live", style: "bars", isTTY: true, noColor: false },
        { out, clock: time, scheduler: time, stopwatch: performance },
      );
      const dash = h.dashboard;
      let frames = dash?.frames ?? 0;
      const t0 = performance.now();
      for (const e of events) {
        if (e.timestamp > time.t) time.advance(e.timestamp - time.t); // fires due frames
        bus.publish(e);
        if (dash !== null && dash.frames !== frames) {
          frames = dash.frames;
          if (r === ROUNDS - 1) frameTimes.push(dash.lastFrameMs);
        }
      }
      const ms = performance.now() - t0;
      (mode === "live" ? live : line).push(ms);
      if (mode === "live" && r === ROUNDS - 1) {
        const s = bus.stats();
        const tr = h.tracker!;
        proof =
          `published ${s.published}, rejected ${s.rejected}, seen by the dashboard ${tr.eventsSeen}, ` +
          `seq gaps ${tr.seqGaps}, listener errors ${s.listenerErrors}, screen writes ${out.chunks.length} over ` +
          `${((base.at(-1)!.timestamp - base[0]!.timestamp) / 1000).toFixed(1)} s of scan time`;
      }
      h.close();
    }
  }
  const perEvent = (ms: number) => (ms * 1e6) / (COUNT + 2);
  const p = median(peer);
  console.log(`\n## The dashboard at ${RATE.toLocaleString("en-US")} events/s (${COUNT.toLocaleString("en-US")} events, median of ${ROUNDS} runs)\n`);
  console.log("| subscriber | wall ms | ns/event | ratio to peer | CPU share at 10k ev/s |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  const row = (name: string, ms: number) =>
    console.log(
      `| ${name} | ${ms.toFixed(1)} | ${perEvent(ms).toFixed(0)} | ${(ms / p).toFixed(2)} | ${((perEvent(ms) * RATE) / 1e7).toFixed(2)}% |`,
    );
  row("peer: bus, no subscriber", p);
  row("--live dashboard (≤60 fps)", median(live));
  row("bars line display (≤10 fps)", median(line));
  const sorted = [...frameTimes].sort((a, b) => a - b);
  console.log(
    `\nframes at 10k events/s (160x50: snapshot, layout, diff, write; ${frameTimes.length} frames): median ${median(frameTimes).toFixed(3)} ms, ` +
      `mean ${(frameTimes.reduce((a, b) => a + b, 0) / frameTimes.length).toFixed(3)} ms, ` +
      `p99 ${sorted[Math.floor(sorted.length * 0.99)]!.toFixed(3)} ms, max ${sorted.at(-1)!.toFixed(3)} ms (target < 5 ms)`,
  );
  console.log(`dropped events: ${proof}`);
}

function readScan(file: string): { events: ScanEvent[]; start: number; end: number } {
  const events: ScanEvent[] = [];
  for (const line of readLines(file)) {
    const e = decodeEvent(line);
    if (isKnownEvent(e)) events.push(e);
  }
  const start = events.find((e) => e.event === "ScanStarted")?.timestamp;
  const end = events.find((e) => e.event === "ScanCompleted")?.timestamp;
  if (start === undefined || end === undefined) throw new Error(`${file}: no ScanStarted/ScanCompleted`);
  return { events, start, end };
}

/** Stage boundaries of a recorded scan as shares of its wall time, e.g. "2:43% 3:57%". */
function stageShares(events: readonly ScanEvent[], start: number, end: number): string {
  const enters: [number, number][] = [];
  for (const e of events) if (e.event === "StageChanged") enters.push([e.stage, e.timestamp]);
  const parts: string[] = [];
  enters.forEach(([stage, at], i) => {
    const next = enters[i + 1]?.[1] ?? end;
    const share = (next - at) / (end - start);
    if (share >= 0.005) parts.push(`${stage}:${(share * 100).toFixed(0)}%`);
  });
  return parts.join(" ");
}

function labEtaTable(scans: { scenario: LabScenario; file: string }[]): void {
  console.log(`\n## ETA error on real lab scans (|ETA - truth| / truth at 25/50/75% of each scan's wall time; one recorded log each)\n`);
  console.log(`| scenario | scan s | stage shares | ${METHODS.flatMap((m) => POINTS.map((p) => `${m} ${p * 100}%`)).join(" | ")} |`);
  console.log(`| --- | ---: | --- | ${METHODS.flatMap(() => POINTS.map(() => "---:")).join(" | ")} |`);
  const all = new Map<string, number[]>();
  for (const { scenario, file } of scans) {
    const { events, start, end } = readScan(file);
    const cells: string[] = [];
    for (const m of METHODS) {
      etaErrors(events, start, end, scenario.skipStages, m).forEach((err, i) => {
        const key = `${m}@${POINTS[i]}`;
        cells.push(err === null ? "  n/a" : pct(err));
        if (err !== null) all.set(key, [...(all.get(key) ?? []), err]);
      });
    }
    console.log(`| ${scenario.name} | ${((end - start) / 1000).toFixed(1)} | ${stageShares(events, start, end)} | ${cells.join(" | ")} |`);
  }
  const overall = METHODS.flatMap((m) => POINTS.map((p) => pct(median(all.get(`${m}@${p}`) ?? []))));
  console.log(`| **median** | | | ${overall.join(" | ")} |`);
}

/** Every event of a recorded log reached the logger: seqs 1..N without a gap and log_ended counts N. */
function logCompleteness(file: string): string {
  let expected = 1;
  let gaps = 0;
  let counted: number | null = null;
  for (const line of readLines(file)) {
    const e: AnyEvent = decodeEvent(line);
    if (typeof e.seq === "number") {
      if (e.seq !== expected) gaps++;
      expected = e.seq + 1;
    } else if (e.event === "log_ended") counted = Number((e as Record<string, unknown>)["events"]);
  }
  return `${expected - 1} events, seq gaps ${gaps}, log_ended counts ${counted ?? "?"}`;
}

/** (a) --live in a 160x50 pty plus --event-log vs (b) --no-progress without a log; interleaved, alternating which goes first. */
async function labCost(dir: string): Promise<void> {
  const args = [...SLASH24_ARGS, "--seed", "1"];
  const withEvents: number[] = [];
  const without: number[] = [];
  const proofs: string[] = [];
  await withLab(0, async (l) => {
    for (let r = 0; r < costRuns; r++) {
      const file = `${dir}/cost-${r}.jsonl`;
      const a = async () => void withEvents.push(await runPrtip(l, [...args, "--live", "--event-log", file], true));
      const b = async () => void without.push(await runPrtip(l, [...args, "--no-progress"]));
      if (r % 2 === 0) {
        await a();
        await b();
      } else {
        await b();
        await a();
      }
      proofs.push(logCompleteness(file));
    }
  });
  const ma = median(withEvents);
  const mb = median(without);
  console.log(`\n## The event system's cost in a real scan (prtip ${args.join(" ")}; ${costRuns} interleaved runs each)\n`);
  console.log("| run | wall s (median) | runs (s) |");
  console.log("| --- | ---: | --- |");
  console.log(`| (a) --live in a 160x50 pty + --event-log | ${ma.toFixed(3)} | ${withEvents.map((x) => x.toFixed(2)).join(", ")} |`);
  console.log(`| (b) peer: --no-progress, no log | ${mb.toFixed(3)} | ${without.map((x) => x.toFixed(2)).join(", ")} |`);
  console.log(`\nratio (a)/(b): ${(ma / mb).toFixed(3)} (target ≤ 1.02)`);
  console.log(`event logs of (a): ${[...new Set(proofs)].join("; ")}`);
}

console.log(`# bench-progress (Bun ${Bun.version}${quick ? ", --quick" : ""})`);
etaTable();
if (logsDir !== undefined) {
  labEtaTable(LAB_SCENARIOS.map((scenario, i) => ({ scenario, file: `${logsDir}/scan-${i + 1}.jsonl` })));
} else if (lab) {
  requireBinary();
  const dir = scratchDir("prtip-bench-progress");
  const scans = await recordScans(dir);
  labEtaTable(scans);
  console.log(`\n(logs kept in ${dir}: rerun the table with --logs ${dir})`);
  await labCost(dir);
}
liveCost();

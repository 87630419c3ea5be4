// Synthetic but scan-shaped event traces: stages with their own pace, noisy
// send rates, rate-limit steps, stalls, a slow tail while the last probes time
// out, open ports found along the way. Used by the tests, the dashboard driver
// and scripts/bench-progress.ts (no lab scans exist on this branch).
import { EventFactory } from "../../src/events/index.ts";
import type { ScanEvent, StageName } from "../../src/events/index.ts";
import { STAGE_START } from "../../src/scan/progress-meter.ts";

export interface TraceOptions {
  seed?: number;
  start?: number;
  targets?: number;
  ports?: number;
  discovery?: boolean;
  serviceDetection?: boolean;
  /** Probes per second in the port scan. */
  rate?: number;
  /** Relative noise on each second's rate, 0..1. */
  noise?: number;
  /** The rate is multiplied by `factor` from `at` (fraction of the port scan) on. */
  steps?: readonly { at: number; factor: number }[];
  /** No progress for `seconds` at `at` (fraction of the port scan). */
  stall?: { at: number; seconds: number };
  /** Share of host×port pairs that are open. */
  openRatio?: number;
  /** Seconds the port scan waits for the last answers. */
  tailSeconds?: number;
  /** Seconds of service detection per open port, before concurrency. */
  probeSeconds?: number;
}

export interface Trace {
  readonly events: ScanEvent[];
  /** Epoch ms of ScanStarted and ScanCompleted. */
  readonly start: number;
  readonly end: number;
  readonly scanId: string;
}

/** A stage's own percent as the scan-wide ProgressUpdate.percentage prtip's engine publishes (its stage spans). */
export function scanWide(stage: number, stagePercent: number): number {
  const start = STAGE_START[stage - 1] ?? 0;
  const end = STAGE_START[stage] ?? 100;
  return Math.round((start + ((end - start) * stagePercent) / 100) * 100) / 100;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = [
  [22, "SSH", "OpenSSH 9.2p1", "SSH-2.0-OpenSSH_9.2p1 Debian-2"],
  [80, "HTTP", "nginx/1.24.0", "HTTP/1.1 200 OK Server: nginx/1.24.0"],
  [443, "HTTPS", "nginx/1.24.0", "HTTP/1.1 400 Bad Request"],
  [25, "SMTP", "Postfix", "220 mail.example.test ESMTP Postfix"],
  [3306, "MYSQL", "8.0.36", "J\u0000\u0000\u00008.0.36"],
  [8080, "HTTP", "Jetty 9.4", "HTTP/1.1 404 Not Found"],
] as const;

export function syntheticScan(o: TraceOptions = {}): Trace {
  const rnd = prng(o.seed ?? 1);
  const start = o.start ?? Date.UTC(2024, 10, 15, 10, 30, 0);
  let now = start;
  const clock = { now: () => now };
  const scanId = "1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a";
  const f = new EventFactory(scanId, clock);
  const events: ScanEvent[] = [];
  const targets = o.targets ?? 256;
  const ports = o.ports ?? 1000;
  const rate = o.rate ?? 2000;
  const noise = o.noise ?? 0.15;
  let stage = 0;
  let stageName: StageName | null = null;
  const enter = (to: StageName, n: number) => {
    events.push(f.make("StageChanged", { from: stageName, to, stage: n }));
    stageName = to;
    stage = n;
  };
  const progress = (done: number, total: number, pps: number, hpm: number) => {
    events.push(
      f.make("ProgressUpdate", {
        stage,
        percentage: scanWide(stage, total === 0 ? 100 : Math.min(100, (done / total) * 100)),
        completed: Math.min(done, total),
        total,
        pps: Math.round(pps),
        ports_per_sec: Math.round(pps),
        hosts_per_min: Math.round(hpm),
        bandwidth_bps: Math.round(pps * 60 * 8),
        eta_seconds: null,
      }),
    );
  };

  events.push(f.make("ScanStarted", { scan_type: "Syn", target_count: targets, port_count: ports }));
  enter("TargetResolution", 1);
  now += 200 + rnd() * 600;
  progress(targets, targets, 0, 0);

  let up = targets;
  if (o.discovery ?? true) {
    enter("HostDiscovery", 2);
    up = 0;
    const probeRate = Math.min(rate, 500);
    const seconds = Math.max(1, Math.ceil(targets / probeRate)) + 1 + rnd();
    for (let s = 1; s <= Math.ceil(seconds); s++) {
      now += 1000;
      const reached = Math.min(targets, Math.round((targets * s) / seconds));
      while (up < Math.round(reached * 0.4)) {
        up++;
        events.push(f.make("HostDiscovered", { ip: `198.18.0.${up}`, method: "ICMP", latency_ms: 0.5 + rnd() }));
      }
      progress(reached, targets, probeRate, (reached / s) * 60);
    }
    up = Math.max(1, up);
  }

  enter("PortScanning", 3);
  const work = up * ports;
  let done = 0;
  let second = 0;
  let stalled = false;
  const open: { ip: string; port: number }[] = [];
  const openRatio = o.openRatio ?? 0.004;
  const tail = Math.max(0.001, o.tailSeconds ?? 2);
  while (done < work) {
    second++;
    now += 1000;
    const fraction = done / work;
    if (o.stall && !stalled && fraction >= o.stall.at) {
      stalled = true;
      for (let s = 0; s < o.stall.seconds; s++) {
        now += 1000;
        if (s % 5 === 4) events.push(f.make("WarningIssued", { message: "no answers for 5 s", severity: "medium", code: "no-answers" }));
      }
    }
    let factor = 1;
    for (const step of o.steps ?? []) if (fraction >= step.at) factor = step.factor;
    // The last 1% are retransmissions waiting for their timeouts: `tailSeconds` for them.
    if (fraction >= 0.99) factor = Math.min(factor, (0.01 * work) / (tail * rate) || 1);
    const pps = Math.max(1, rate * factor * (1 + noise * (rnd() * 2 - 1)));
    const before = done;
    done = Math.min(work, done + Math.round(pps));
    for (let k = before; k < done; k++) {
      if (rnd() < openRatio) {
        const svc = SERVICES[Math.floor(rnd() * SERVICES.length)]!;
        const ip = `198.18.0.${1 + (Math.floor(k / ports) % 254)}`;
        open.push({ ip, port: svc[0] });
        events.push(f.portFound({ target: ip, port: svc[0], protocol: "Tcp", state: "Open", reason: "syn-ack" }));
      }
    }
    progress(done, work, pps, ((done / ports) / (second + 0.001)) * 60);
  }

  if (o.serviceDetection ?? true) {
    enter("ServiceDetection", 4);
    const perPort = o.probeSeconds ?? 1.5;
    const seconds = Math.max(1, Math.ceil((open.length * perPort) / 20));
    let probed = 0;
    for (let s = 1; s <= seconds; s++) {
      now += 1000;
      const target = Math.round((open.length * s) / seconds);
      while (probed < target) {
        const p = open[probed]!;
        const svc = SERVICES.find((x) => x[0] === p.port)!;
        events.push(f.make("ServiceDetected", { target: p.ip, port: p.port, service: svc[1], version: svc[2], confidence: 90 }));
        events.push(f.make("BannerGrabbed", { target: p.ip, port: p.port, protocol: "Tcp", banner: svc[3] }));
        probed++;
      }
      progress(probed, open.length, 20 / perPort, 0);
    }
  }

  enter("Finalization", 5);
  now += 100 + rnd() * 400;
  progress(1, 1, 0, 0);
  const duration = (now - start) / 1000;
  events.push(
    f.make("ScanCompleted", {
      targets_scanned: targets,
      ports_scanned: work,
      duration,
      hosts_up: up,
      open_ports: open.length,
      closed_ports: 0,
      filtered_ports: work - open.length,
      services_detected: o.serviceDetection ?? true ? open.length : 0,
    }),
  );
  return { events, start, end: now, scanId };
}

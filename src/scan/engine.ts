import type { EventType, FieldsOf } from "../events/index.ts";
import type { ScanControl } from "./control.ts";
import type { HostDiscovery } from "./discovery.ts";
import { TokenBucket, realSleep } from "./pacer.ts";
import { InOrder, type Order, Permutation, shardLength } from "./permutation.ts";
import { HostDeadline } from "./host-deadline.ts";
import { DetectionStage } from "./detection-stage.ts";
import { type HostList, discoverHosts } from "./discovery-stage.ts";
import { ProbeOrder } from "./probe-order.ts";
import { SendGate } from "./send-gate.ts";
import { ProgressMeter, STAGES } from "./progress-meter.ts";
import { type EngineDeps, type ScanOutcome, type ScanPass, type ScanPlan, intervalTicker } from "./scan-plan.ts";
import { resolveTargets } from "./targets.ts";
import { outstandingEstimate } from "./technique.ts";
import type { PortResult, Probe, TechniqueContext } from "./technique.ts";

export const PROGRESS_EVERY_MS = 250;

/**
 * The longest a technique's checkpoints let it run before the event loop gets a
 * turn. An unthrottled SYN scan otherwise sends all its probes in one
 * synchronous run: Ctrl-C took effect after 34 s of a 14.6 M-probe scan, no
 * progress showed, and the event log held every line in memory until the end.
 */
export const EVENT_LOOP_TURN_MS = 20;

/** One turn of the event loop: timers, signals and I/O completions run before it resolves. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs one scan through its five stages and publishes everything it learns.
 * It prints nothing; outputs, progress and logs subscribe to the bus.
 */
export class ScanEngine implements ScanControl {
  private readonly abort = new AbortController();
  // A cancel must not wait out a pacer's sleep or a backlogged event log.
  private readonly cancelled = new Promise<void>((resolve) => this.abort.signal.addEventListener("abort", () => resolve(), { once: true }));
  private cancelReason: string | null = null;
  private readonly gate: SendGate;
  private readonly meter = new ProgressMeter();
  private readonly pacer: TokenBucket;
  private readonly hostsUp = new Set<string>();
  private readonly counts = { open: 0, closed: 0, filtered: 0 };
  private readonly detection = new DetectionStage();
  private stageIndex = 0;
  private reportedRateAt = 0;
  /** Port-scan probes handed out: earlier passes' count and the current pass's order. */
  private issued: { before: number; order: ProbeOrder | null } = { before: 0, order: null };
  private lastTurnAt = 0;

  constructor(
    private readonly plan: ScanPlan,
    private readonly deps: EngineDeps,
  ) {
    const rates = [plan.maxRate, plan.timing.scanDelayMs > 0 ? 1000 / plan.timing.scanDelayMs : null];
    const cap = rates.filter((r): r is number => r !== null);
    this.gate = new SendGate(this.cancelled, () => this.abort.signal.aborted, deps.sleep ?? realSleep);
    this.pacer = new TokenBucket(cap.length ? Math.min(...cap) : null, deps.clock, (ms) => this.gate.pacedSleep(ms, () => this.pacer.acquire(1)));
  }

  /** --host-timeout's deadline, set when the port scan starts; null without the flag. */
  private get deadline(): HostDeadline | null {
    return this.gate.deadline;
  }

  private publish<T extends EventType>(type: T, fields: FieldsOf<T>): void {
    this.deps.bus.publish(this.deps.factory.make(type, fields));
  }

  get paused(): boolean {
    return this.gate.paused;
  }

  pause(): void {
    const now = this.deps.clock.now();
    if (this.abort.signal.aborted || !this.gate.pause(now)) return;
    // Tokens whose wait is not over will not be used: those waits take new ones after resume (SendGate.pacedSleep).
    this.pacer.forgetWaiting(now);
    this.meter.pause(now);
    this.publish("ScanPaused", { reason: "user_requested" });
  }

  resume(): void {
    const now = this.deps.clock.now();
    const seconds = this.gate.resume(now);
    if (seconds === null) return;
    this.meter.resume(now);
    this.publish("ScanResumed", { paused_seconds: Math.round(seconds * 1000) / 1000 });
  }

  cancel(reason: string): void {
    if (this.abort.signal.aborted) return;
    this.cancelReason = reason;
    this.abort.abort();
    // The cut-short waits send nothing: progress must not count them as sent when they fall due.
    this.pacer.forgetWaiting();
    this.gate.release();
  }

  private readonly checkpoint = (): Promise<void> | void => {
    if (this.gate.paused && !this.abort.signal.aborted) return this.gate.untilResumed();
    const held = this.abort.signal.aborted ? undefined : this.deps.backpressure?.();
    // A pause may come while the caller waits here (a key or signal handled in that turn): look again before letting it send.
    if (held) return Promise.race([held, this.cancelled]).then(this.checkpoint);
    const now = this.deps.clock.now();
    if (now - this.lastTurnAt < EVENT_LOOP_TURN_MS) return;
    this.lastTurnAt = now;
    return (this.deps.nextTurn ?? nextTurn)().then(this.afterTurn);
  };

  private readonly afterTurn = (): Promise<void> | void => {
    if (this.gate.paused && !this.abort.signal.aborted) return this.gate.untilResumed();
  };

  private enterStage(stage: number, total: number): void {
    const from = this.stageIndex === 0 ? null : STAGES[this.stageIndex - 1]!;
    this.stageIndex = stage;
    const now = this.deps.clock.now();
    this.meter.enter(stage, total, now, this.pacer.sent(now));
    this.publish("StageChanged", { from, to: STAGES[stage - 1]!, stage });
  }

  private tick = (): void => {
    const now = this.deps.clock.now();
    if (this.issued.order) this.meter.issued(this.issued.before + this.issued.order.taken);
    // Probes sent, not tokens reserved: a reserved token may be seconds from its send.
    const update = this.meter.snapshot(now, this.pacer.sent(now));
    this.publish("ProgressUpdate", update);
    if (now - this.reportedRateAt >= 1000) this.reportThrottling(now, update.pps);
  };

  /** RateLimitTriggered, when the cap held sends back since the last one. */
  private reportThrottling(now: number, pps: number): void {
    const held = this.pacer.heldMs(now);
    if (held <= 0 || this.pacer.rate === null) return;
    this.publish("RateLimitTriggered", { current_rate: pps, target_rate: this.pacer.rate, duration_ms: Math.round(held) });
    this.pacer.reported(now);
    this.reportedRateAt = now;
  }

  /**
   * Sending is over: the throttling since the last report is published now,
   * not left to the once-a-second report, which a scan's last second usually missed.
   */
  private endOfSending(): void {
    const now = this.deps.clock.now();
    if (this.pacer.heldMs(now) > 0) this.reportThrottling(now, this.meter.snapshot(now, this.pacer.sent(now)).pps);
  }

  async run(): Promise<ScanOutcome> {
    const { plan } = this;
    const started = this.deps.clock.now();
    const stopTicker = (this.deps.ticker ?? intervalTicker)(this.tick, PROGRESS_EVERY_MS);
    const signal = this.abort.signal;
    let scanned = 0;
    let targetsScanned = 0;
    let servicesDetected = 0;
    try {
      this.publish("ScanStarted", {
        scan_type: plan.scanType,
        target_count: Number(plan.targets.estimatedCount),
        port_count: plan.pingOnly ? 0 : this.passes.reduce((n, p) => n + p.ports.length, 0),
      });

      this.enterStage(1, Number(plan.targets.estimatedCount));
      const targets = await resolveTargets(plan.targets, {
        resolver: plan.resolver,
        family: plan.family,
        onResolved: plan.onResolved,
        onUnresolved: (name, why) =>
          this.publish("WarningIssued", { message: `failed to resolve "${name}": ${why}`, severity: "medium", code: "unresolved-target" }),
      });
      targetsScanned = targets.size;
      this.meter.set(targets.size);
      if (targets.size === 0) {
        this.publish("WarningIssued", { message: "no targets left to scan (all excluded or unresolved)", severity: "high", code: "no-targets" });
      }

      this.enterStage(2, plan.discovery ? targets.size : 0);
      let hosts: HostList = targets;
      if (plan.discovery && !signal.aborted) hosts = await this.discover(plan.discovery, targets);

      if (!plan.pingOnly && !signal.aborted) {
        scanned = await this.scanPorts(hosts);
      } else this.enterStage(3, 0);
      this.endOfSending();

      // A cancelled scan enters no later stage: its last ProgressUpdate says where it stopped.
      if (!signal.aborted) {
        const handed = this.detection.handOver(this.passes, this.deadline?.givenUp);
        this.enterStage(4, handed.reduce((n, ports) => n + ports.length, 0));
        this.meter.expect(this.detection.expectedMs(this.passes, handed));
        servicesDetected = await this.detection.detect(this.passes, handed, {
          signal,
          deadline: this.deadline,
          bus: this.deps.bus,
          factory: this.deps.factory,
          progress: (done) => this.meter.set(done),
          opened: (host, port) => this.promote(host, port),
        });
      }
      this.deadline?.dispose();

      if (signal.aborted) {
        const now = this.deps.clock.now();
        this.meter.pause(now); // nothing is sent any more: rate 0, no ETA
        this.publish("ProgressUpdate", this.meter.snapshot(now, this.pacer.sent(now)));
        this.publish("ScanCancelled", { reason: this.cancelReason ?? "cancelled", partial_results: this.resultCount() > 0 || this.hostsUp.size > 0 });
      } else {
        this.enterStage(5, 1);
        if (plan.minRate !== null) this.checkMinRate(started);
        this.meter.finish();
        const now = this.deps.clock.now();
        this.publish("ProgressUpdate", this.meter.snapshot(now, this.pacer.sent(now)));
        this.publish("ScanCompleted", {
          targets_scanned: targetsScanned,
          ports_scanned: scanned,
          duration: Math.round(this.deps.clock.now() - started) / 1000,
          hosts_up: this.hostsUpCount(targetsScanned),
          open_ports: this.counts.open,
          closed_ports: this.counts.closed,
          filtered_ports: this.counts.filtered,
          services_detected: servicesDetected,
        });
      }
    } catch (err) {
      // A failing technique (a capture handle lost, say) still ends the scan on
      // the bus, so outputs write what was found; the caller reports the error.
      this.publish("ScanCancelled", { reason: `error: ${err instanceof Error ? err.message : String(err)}`, partial_results: this.resultCount() > 0 });
      throw err;
    } finally {
      this.deadline?.dispose();
      stopTicker();
      for (const pass of this.passes) pass.technique.close();
    }
    return { cancelled: signal.aborted, hostsUp: this.hostsUpCount(targetsScanned), ...this.counts };
  }

  /** An open|filtered UDP port answered a version probe: a second PortFound says it is open. */
  private promote(host: string, port: number): void {
    const f = this.deps.factory;
    const fields = { target: host, port, protocol: "Udp", state: "Open", reason: "udp-response" } as const;
    this.deps.bus.publish(host.includes(":") ? f.ipv6PortFound(fields) : f.portFound(fields));
    this.counts.filtered--;
    this.counts.open++;
    this.hostsUp.add(host);
  }

  /** The plan's own technique and ports, then -sU's in a combined scan. */
  private get passes(): ScanPass[] {
    const { plan } = this;
    return [{ technique: plan.technique, ports: plan.ports, detector: plan.detector }, ...(plan.udp ? [plan.udp] : [])];
  }

  private async discover(discovery: HostDiscovery, targets: HostList): Promise<HostList> {
    let done = 0;
    const up = await discoverHosts(discovery, targets, {
      signal: this.abort.signal,
      pacer: this.pacer,
      timeoutMs: this.plan.timing.initialTimeoutMs,
      maxRetries: this.plan.maxRetries,
      up: (ip, method, latencyMs) => {
        this.hostsUp.add(ip);
        this.publish("HostDiscovered", { ip, method, latency_ms: latencyMs === null ? null : Math.round(latencyMs * 1000) / 1000 });
      },
      done: () => this.meter.set(++done),
      checkpoint: this.checkpoint,
    }, this.plan.inOrder === true, this.plan.seed);
    if (up.size === 0 && targets.size > 0 && !this.abort.signal.aborted) {
      this.publish("WarningIssued", {
        message: "no host answered discovery; if they are up but block probes, try -Pn",
        severity: "medium",
        code: "hosts-down",
      });
    }
    return up;
  }

  private async scanPorts(hosts: HostList): Promise<number> {
    const { plan } = this;
    const passes = this.passes;
    const hostCount = hosts.size;
    const spaces = passes.map((p) => hostCount * p.ports.length);
    // One stage for every pass, so the progress runs once from 10% to 95% over both protocols.
    const total = spaces.reduce((n, space) => n + (plan.shard ? shardLength(space, plan.shard) : space), 0);
    this.enterStage(3, total);
    this.meter.portsPerHost = Math.max(1, passes.reduce((n, p) => n + p.ports.length, 0));
    // After the last probe, its answer or its last timeout: at most one timeout per attempt.
    this.meter.tail(plan.timing.initialTimeoutMs * (plan.maxRetries + 1));
    // Each host's text once, not once per probe, unless the host list is huge.
    const texts = hostCount <= 1 << 16 ? Array.from({ length: hostCount }, (_, i) => hosts.at(i)) : null;
    const shard = plan.shard ?? { index: 1, count: 1 };
    // --host-timeout: every host starts now, with the probe stream that interleaves them.
    const deadline = plan.hostTimeoutMs ? (this.gate.deadline = new HostDeadline(plan.hostTimeoutMs, this.deps.clock)) : null;
    const signal = deadline ? AbortSignal.any([this.abort.signal, deadline.signal]) : this.abort.signal;
    let done = 0;
    for (const [i, pass] of passes.entries()) {
      if (this.abort.signal.aborted || deadline?.passed) break;
      const perm: Order = plan.inOrder ? new InOrder(spaces[i]!) : new Permutation(spaces[i]!, plan.seed);
      const order = new ProbeOrder(perm, hostCount, pass.ports, texts ? (h) => texts[h]! : (h) => hosts.at(h), shard.index - 1, shard.count);
      const probes = deadline ? deadline.probes(order) : order;
      this.issued = { before: this.issued.before + (this.issued.order?.taken ?? 0), order };
      const { open, silent } = this.detection.collect(i, Boolean(pass.detector));
      const ctx: TechniqueContext = {
        signal,
        pacer: this.pacer,
        maxRetries: plan.maxRetries,
        timeoutMs: plan.timing.initialTimeoutMs,
        outstanding: outstandingEstimate(plan.shard ? shardLength(spaces[i]!, plan.shard) : spaces[i]!, this.pacer.rate, plan.timing.initialTimeoutMs),
        result: (r) => {
          this.record(r, open, silent);
          deadline?.counted(r.target);
          this.meter.set(++done);
          this.meter.hostResult(r.target);
        },
        metric: (metric, value) => this.publish("MetricRecorded", { metric, value }),
        warning: (message, code, severity) => this.publish("WarningIssued", { message, code, severity }),
        retry: (target, port, attempt, delayMs) => this.publish("RetryScheduled", { target, port, attempt, delay_ms: delayMs }),
        checkpoint: this.checkpoint,
      };
      await pass.technique.scan(probes, ctx);
    }
    if (deadline?.passed && !this.abort.signal.aborted) this.giveUpAfterPortScan(deadline, hosts);
    return done;
  }

  /** The deadline passed during the port scan: the probes not sent are dropped (their waits forgotten, as a cancel's). */
  private giveUpAfterPortScan(deadline: HostDeadline, hosts: HostList): void {
    this.pacer.forgetWaiting();
    deadline.giveUpUnfinished(hosts, this.passes.reduce((n, p) => n + p.ports.length, 0), Boolean(this.plan.shard));
  }

  private record(r: PortResult, open: Probe[], silent?: Map<string, Probe>): void {
    const f = this.deps.factory;
    // The factory copies the five port fields out of the result: no object in between.
    this.deps.bus.publish(r.target.includes(":") ? f.ipv6PortFound(r) : f.portFound(r));
    if (r.state === "Open") {
      this.counts.open++;
      open.push({ host: r.target, port: r.port });
    } else if (r.state === "Closed") this.counts.closed++;
    else {
      this.counts.filtered++;
      // FIN, NULL and Xmas scans say open|filtered too, but only a UDP port can answer a UDP payload.
      if (silent && r.state === "OpenFiltered" && r.protocol === "Udp") silent.set(`${r.target} ${r.port}`, { host: r.target, port: r.port });
    }
    // Without discovery (-Pn), a host is up when anything answered.
    if (r.state === "Open" || r.state === "Closed") this.hostsUp.add(r.target);
  }

  /** With -Pn every target scanned counts as up, as nmap counts it ("Host is up", reason user-set). */
  private hostsUpCount(targetsScanned: number): number {
    return this.plan.discovery === null && !this.plan.pingOnly ? targetsScanned : this.hostsUp.size;
  }

  private resultCount(): number {
    return this.counts.open + this.counts.closed + this.counts.filtered;
  }

  private checkMinRate(started: number): void {
    const seconds = (this.deps.clock.now() - started) / 1000;
    const sent = this.pacer.sent();
    const rate = seconds > 0 ? sent / seconds : Infinity;
    if (this.plan.minRate !== null && rate < this.plan.minRate * 0.95 && sent > 0) {
      this.publish("WarningIssued", {
        message: `average send rate ${Math.round(rate)}/s stayed below --min-rate ${this.plan.minRate}`,
        severity: "medium",
        code: "min-rate-not-met",
      });
    }
  }
}


import type { MonotonicClock } from "../runtime/capabilities.ts";
import { type Dial, netDial } from "./dial.ts";
import { RttEstimator } from "./rtt.ts";
import { retriesFor, type Probe, type Technique, type TechniqueContext } from "./technique.ts";

export interface ConnectOptions {
  /** Sockets connecting at once. */
  concurrency: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  clock: MonotonicClock;
  dial?: Dial;
  /** Wait before retrying a probe that hit a local resource limit. */
  busyBackoffMs?: number;
}

/**
 * TCP connect scan (-sT): the kernel does the handshake, so it needs no
 * privileges. Handshake → Open (`connect`), RST → Closed (`rst`), ICMP
 * unreachable → Filtered (`icmp-unreach`), silence after every retry →
 * Filtered (`no-response`). Timeouts adapt per host to measured round trips.
 */
export class ConnectTechnique implements Technique {
  readonly name = "connect" as const;
  private readonly dial: Dial;
  private readonly rtt = new Map<string, RttEstimator>();
  private attempts = 0;

  constructor(private readonly opts: ConnectOptions) {
    this.dial = opts.dial ?? netDial;
  }

  private estimator(host: string, initialMs: number): RttEstimator {
    let e = this.rtt.get(host);
    if (!e) {
      e = new RttEstimator(initialMs, this.opts.minTimeoutMs, this.opts.maxTimeoutMs);
      this.rtt.set(host, e);
    }
    return e;
  }

  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    const source = probes[Symbol.iterator]();
    const rtts: number[] = [];
    let warnedBusy = false;
    const worker = async () => {
      for (;;) {
        if (ctx.signal.aborted) return;
        const next = source.next();
        if (next.done) return;
        const { host, port } = next.value;
        const est = this.estimator(host, ctx.timeoutMs);
        for (let attempt = 1; ; ) {
          // Before every attempt, retries too: a pause may have begun while the last one was connecting.
          await ctx.checkpoint();
          if (ctx.signal.aborted) return;
          await ctx.pacer.acquire(1);
          if (ctx.signal.aborted) return;
          this.attempts++;
          const started = this.opts.clock.now();
          const outcome = await this.dial(host, port, est.timeoutMs(), ctx.signal);
          if (ctx.signal.aborted) return;
          const rttMs = this.opts.clock.now() - started;
          if (outcome === "busy") {
            if (!warnedBusy) {
              warnedBusy = true;
              ctx.warning("out of sockets or local ports; connects are being retried", "connect-resources", "medium");
            }
            await new Promise((r) => setTimeout(r, this.opts.busyBackoffMs ?? 50));
            continue;
          }
          if (outcome === "open" || outcome === "refused") {
            est.observe(rttMs);
            if (rtts.length < 100_000) rtts.push(rttMs);
            ctx.result({
              target: host,
              port,
              protocol: "Tcp",
              state: outcome === "open" ? "Open" : "Closed",
              reason: outcome === "open" ? "connect" : "rst",
              rttMs,
            });
            break;
          }
          if (outcome === "unreachable") {
            ctx.result({ target: host, port, protocol: "Tcp", state: "Filtered", reason: "icmp-unreach", rttMs });
            break;
          }
          if (attempt > retriesFor(est.smoothedMs !== null, ctx.maxRetries)) {
            ctx.result({ target: host, port, protocol: "Tcp", state: "Filtered", reason: "no-response", rttMs: null });
            break;
          }
          attempt++;
          ctx.retry(host, port, attempt, 0);
        }
      }
    };
    const workers = Array.from({ length: Math.max(1, this.opts.concurrency) }, worker);
    await Promise.all(workers);
    ctx.metric("packets_sent", this.attempts);
    if (rtts.length > 0) {
      rtts.sort((a, b) => a - b);
      ctx.metric("rtt_ms", Math.round(rtts[rtts.length >> 1]! * 1000) / 1000);
    }
  }

  /** Smoothed RTT, its variation and the current timeout for a host (for -oX <times>). */
  timesFor(host: string): { srttMs: number; rttvarMs: number; timeoutMs: number } | null {
    const e = this.rtt.get(host);
    if (!e || e.smoothedMs === null) return null;
    return { srttMs: e.smoothedMs, rttvarMs: e.variationMs, timeoutMs: e.timeoutMs() };
  }

  close(): void {
    this.rtt.clear();
  }
}

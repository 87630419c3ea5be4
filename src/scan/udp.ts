import { ConcurrencyLimit, fromLatin1, udpExchange, udpPayloadFor } from "../detect/index.ts";
import type { UdpAnswer, UdpExchange } from "../detect/index.ts";
import type { Probe, PortResult, Technique, TechniqueContext } from "./technique.ts";

export interface UdpTechniqueOptions {
  exchange?: UdpExchange;
  /** Probes in flight over all hosts. */
  concurrency?: number;
  /** Probes in flight per host while it answers freely. */
  perHost?: number;
  /** First retry delay once a host looks ICMP rate limited; doubles per attempt. */
  backoffMs?: number;
  /** Ceiling of that delay. Linux sends one port unreachable per second per peer after a burst of 6. */
  maxBackoffMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The datagram for a port; by default its protocol's payload from the table, else empty. */
  payloadFor?: (port: number) => Uint8Array;
}

const tablePayload = (port: number) => fromLatin1(udpPayloadFor(port)?.payload ?? "");

/** What one target has shown so far; decides how hard silence may be read as "open|filtered". */
class HostState {
  refusals = 0;
  /** UDP replies it sent: it is there, so its silence on other ports is worth a retry. */
  replies = 0;
  /** The latest attempt (0 = first send) any reply or refusal from it answered; -1 before one did. */
  latestAnswered = -1;
  rateLimited = false;
  readonly limit: ConcurrencyLimit;
  constructor(perHost: number) {
    this.limit = new ConcurrencyLimit(perHost);
  }
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

// Retries for a silent port on a host known to rate-limit its port unreachables.
const RATE_LIMITED_MIN_RETRIES = 3;

/**
 * -sU over node:dgram: each probe on its own connected socket, with the port's
 * protocol payload. A reply is Open, a port unreachable Closed, other
 * unreachables Filtered, silence after the retries OpenFiltered.
 *
 * Linux sends a burst of port unreachables, then about one a second, so
 * silence from a host that refuses ports may be a dropped refusal. Such a
 * silent port is retried at least once after a back-off; when a retry is
 * refused the limit is confirmed: a warning, one probe at a time to that host,
 * and at least three exponentially spaced retries before calling it OpenFiltered.
 */
export class UdpTechnique implements Technique {
  readonly name = "udp" as const;
  private readonly exchange: UdpExchange;
  private readonly overall: ConcurrencyLimit;
  private readonly perHost: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly payloadFor: (port: number) => Uint8Array;
  private readonly hosts = new Map<string, HostState>();

  constructor(options: UdpTechniqueOptions = {}) {
    this.exchange = options.exchange ?? udpExchange;
    this.overall = new ConcurrencyLimit(options.concurrency ?? 256);
    this.perHost = options.perHost ?? 32;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 2000;
    this.sleep = options.sleep ?? abortableSleep;
    this.payloadFor = options.payloadFor ?? tablePayload;
  }

  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    // A bounded window of queued probes, so a /16 does not become millions of promises.
    const running = new Set<Promise<void>>();
    for (const probe of probes) {
      if (ctx.signal.aborted) break;
      await ctx.checkpoint();
      const host = this.host(probe.host);
      const task = host.limit.run(() => this.overall.run(() => this.probe(probe, host, ctx)));
      running.add(task);
      void task.finally(() => running.delete(task));
      if (running.size >= this.overall.max * 4) await Promise.race(running);
    }
    await Promise.all(running);
  }

  close(): void {
    this.hosts.clear();
  }

  private host(address: string): HostState {
    let state = this.hosts.get(address);
    if (state === undefined) this.hosts.set(address, (state = new HostState(this.perHost)));
    return state;
  }

  private confirmRateLimit(host: HostState, address: string, ctx: TechniqueContext): void {
    if (host.rateLimited) return;
    host.rateLimited = true;
    host.limit.max = 1;
    ctx.warning(`${address} rate-limits ICMP port unreachables; slowing UDP probes to it`, "icmp-rate-limit", "low");
  }

  /**
   * Retries for a silent port, as nmap allows them: one more than the latest
   * attempt any answer from this host needed (so one on a host that answers at
   * once; a silent port there is open|filtered, not lost), up to maxRetries.
   * Spaced out, and at least one, on hosts whose ICMP may be or is rate limited.
   */
  private retryPlan(host: HostState, ctx: TechniqueContext, attempt: number): { retries: number; delayMs: number } {
    const earned = Math.min(ctx.maxRetries, Math.max(1, host.latestAnswered + 1));
    if (host.refusals === 0) return { retries: earned, delayMs: 0 };
    const delayMs = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt);
    return { retries: Math.max(earned, host.rateLimited ? RATE_LIMITED_MIN_RETRIES : 1), delayMs };
  }

  private async probe(probe: Probe, host: HostState, ctx: TechniqueContext): Promise<void> {
    const payload = this.payloadFor(probe.port);
    const result = (state: PortResult["state"], reason: PortResult["reason"], rttMs: number | null) =>
      ctx.result({ target: probe.host, port: probe.port, protocol: "Udp", state, reason, rttMs });
    for (let attempt = 0; ; attempt++) {
      if (ctx.signal.aborted) return;
      await ctx.checkpoint();
      await ctx.pacer.acquire();
      ctx.metric("packets_sent", 1);
      ctx.metric("bytes_sent", payload.length);
      const answer: UdpAnswer = await this.exchange(probe.host, probe.port, payload, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      if (answer.kind !== "silent") {
        ctx.metric("packets_received", 1);
        ctx.metric("rtt_ms", answer.rttMs);
      }
      if (answer.kind !== "silent") host.latestAnswered = Math.max(host.latestAnswered, attempt);
      if (answer.kind === "reply") {
        host.replies++;
        ctx.metric("bytes_received", answer.bytes.length);
        return result("Open", "udp-response", answer.rttMs);
      }
      if (answer.kind === "refused") {
        host.refusals++;
        // Silent first, refused on a later try: the earlier unreachable was dropped by a rate limit.
        if (attempt > 0) this.confirmRateLimit(host, probe.host, ctx);
        return result("Closed", "icmp-unreach", answer.rttMs);
      }
      if (answer.kind === "unreachable") return result("Filtered", "icmp-unreach", answer.rttMs);
      const plan = this.retryPlan(host, ctx, attempt);
      if (attempt >= plan.retries || ctx.signal.aborted) return result("OpenFiltered", "no-response", null);
      ctx.retry(probe.host, probe.port, attempt + 1, plan.delayMs);
      if (plan.delayMs > 0) await this.sleep(plan.delayMs, ctx.signal);
    }
  }
}

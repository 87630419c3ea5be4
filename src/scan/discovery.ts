import type { DiscoveryMethod } from "../events/index.ts";
import type { MonotonicClock } from "../runtime/capabilities.ts";
import { type Dial, type DialOutcome, netDial } from "./dial.ts";
import type { Pacer } from "./technique.ts";

export interface DiscoveryContext {
  readonly signal: AbortSignal;
  readonly pacer: Pacer;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  up(ip: string, method: DiscoveryMethod, latencyMs: number | null): void;
  /** One host's discovery finished, up or not (progress). */
  done(ip: string): void;
  checkpoint(): Promise<void> | void;
}

/** Decides which hosts are up before their ports are scanned; -Pn skips it. */
export interface HostDiscovery {
  discover(hosts: Iterable<string>, ctx: DiscoveryContext): Promise<void>;
}

export interface ConnectDiscoveryOptions {
  concurrency: number;
  clock: MonotonicClock;
  dial?: Dial;
  /** Ports knocked on; any answer, even a refusal, means the host is up. */
  ports?: readonly number[];
}

/**
 * Unprivileged discovery as nmap does it: connect to 80 and 443; a handshake or
 * a refusal proves the host is there. A host that stays silent is reported down
 * by omission.
 */
export class ConnectDiscovery implements HostDiscovery {
  private readonly dial: Dial;
  private readonly ports: readonly number[];

  constructor(private readonly opts: ConnectDiscoveryOptions) {
    this.dial = opts.dial ?? netDial;
    this.ports = opts.ports ?? [80, 443];
  }

  private async probe(host: string, ctx: DiscoveryContext): Promise<void> {
    for (let attempt = 0; attempt <= Math.min(ctx.maxRetries, 1); attempt++) {
      let latency: number | null = null;
      const outcomes = await Promise.all(
        this.ports.map(async (port): Promise<DialOutcome> => {
          // Every knock, retries too: a pause may have begun while the last one waited for its answer.
          await ctx.checkpoint();
          if (ctx.signal.aborted) return "timeout";
          await ctx.pacer.acquire(1);
          if (ctx.signal.aborted) return "timeout";
          // Timed from its own send, so neither a pause nor the rate cap counts as latency.
          const sentAt = this.opts.clock.now();
          const o = await this.dial(host, port, ctx.timeoutMs, ctx.signal);
          if ((o === "open" || o === "refused") && latency === null) latency = this.opts.clock.now() - sentAt;
          return o;
        }),
      );
      if (ctx.signal.aborted) return;
      if (latency !== null) {
        // latency of the first answer, not of the slowest probe
        ctx.up(host, "TCP", latency);
        return;
      }
      if (outcomes.every((o) => o === "unreachable")) return;
    }
  }

  async discover(hosts: Iterable<string>, ctx: DiscoveryContext): Promise<void> {
    const source = hosts[Symbol.iterator]();
    const worker = async () => {
      for (;;) {
        await ctx.checkpoint();
        if (ctx.signal.aborted) return;
        const next = source.next();
        if (next.done) return;
        await this.probe(next.value, ctx);
        ctx.done(next.value);
      }
    };
    const width = Math.max(1, Math.ceil(this.opts.concurrency / this.ports.length));
    await Promise.all(Array.from({ length: width }, worker));
  }
}

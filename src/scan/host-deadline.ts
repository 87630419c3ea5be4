import type { MonotonicClock } from "../runtime/capabilities.ts";
import type { Probe } from "./technique.ts";

/**
 * --host-timeout: when the hosts' time is up. nmap gives each host TIME from
 * the start of its scan; prtip sends one probe stream interleaved across all
 * hosts, so every host starts with the port scan and all of them share one
 * deadline. When it passes the scan stops sending (port scan, -sV), and every
 * host with work left is given up on.
 *
 * It costs nothing without the flag: the engine builds none, and the probe
 * stream, pacer and results go unwrapped.
 */
export class HostDeadline {
  readonly at: number;
  private readonly controller = new AbortController();
  /** Aborted when the deadline passes, seen by a check or by the timer. */
  readonly signal = this.controller.signal;
  /** Resolves when the deadline passes: a pacer's wait ends there. */
  readonly expired: Promise<void>;
  private readonly timer: ReturnType<typeof setTimeout>;
  /** Results per host so far, to tell a finished host from one cut short. */
  private readonly results = new Map<string, number>();
  /** Hosts given up on, in the order they are reported. */
  readonly givenUp = new Set<string>();

  constructor(
    ms: number,
    private readonly clock: MonotonicClock,
  ) {
    this.at = clock.now() + ms;
    this.expired = new Promise((resolve) => this.signal.addEventListener("abort", () => resolve(), { once: true }));
    // The clock may be a test's: the timer is only a backstop for waits nothing else ends (a connect's dial).
    this.timer = setTimeout(() => this.expire(), ms);
  }

  /** Whether the deadline has passed (a check of the clock). */
  get passed(): boolean {
    if (!this.signal.aborted && this.clock.now() >= this.at) this.expire();
    return this.signal.aborted;
  }

  expire(): void {
    if (!this.signal.aborted) this.controller.abort();
  }

  /** Milliseconds left, 0 once passed. */
  left(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  /** `probes` until the deadline: the stream ends when it passes. */
  probes(probes: Iterable<Probe>): IterableIterator<Probe> {
    const source = probes[Symbol.iterator]();
    const self = this;
    return {
      next(): IteratorResult<Probe> {
        return self.passed ? { done: true, value: undefined } : source.next();
      },
      [Symbol.iterator]() {
        return this;
      },
    };
  }

  /** A port result for `host` came in. */
  counted(host: string): void {
    this.results.set(host, (this.results.get(host) ?? 0) + 1);
  }

  /** How many port results `host` had. */
  resultsFor(host: string): number {
    return this.results.get(host) ?? 0;
  }

  /**
   * The deadline passed during the port scan: every host without a result for
   * each of its `perHost` probes is given up on. A shard's share of a host is
   * not counted, so a sharded scan gives up on all of them.
   */
  giveUpUnfinished(hosts: { readonly size: number; at(i: number): string }, perHost: number, sharded: boolean): void {
    for (let i = 0; i < hosts.size; i++) {
      const host = hosts.at(i);
      if (sharded || this.resultsFor(host) < perHost) this.givenUp.add(host);
    }
  }

  /**
   * After -sV: once the deadline has passed, a host whose -sV ports were not
   * all probed was cut short too. The detector does not say which hosts it
   * finished, so every host it had ports of counts as given up on.
   */
  giveUpDetected(hosts: Iterable<string>): void {
    if (!this.signal.aborted && !this.passed) return;
    for (const host of hosts) this.givenUp.add(host);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** The warning's code and text: the event schema (a contract) has no event of its own for a host given up on. */
export const HOST_TIMEOUT_CODE = "host-timeout";

export function hostTimeoutMessage(host: string): string {
  return `Skipping host ${host} due to host timeout`;
}

/** The host a host-timeout warning names, or null for any other message. */
export function timedOutHost(message: string): string | null {
  const m = /^Skipping host (\S+) due to host timeout$/.exec(message);
  return m ? m[1]! : null;
}

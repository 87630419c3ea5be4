import type { MetricName, PortFields, Severity } from "../events/index.ts";

// The seam between the scan engine (order, rate, retries policy, events) and a
// probing technique (connect, SYN via pcap, UDP). A technique never publishes:
// it reports through the context and the engine turns reports into events.

/** One (host, port) probe; `host` is an IP literal (v4 or v6). */
export interface Probe {
  host: string;
  port: number;
  /** The host's position in the scan's host list, when the engine has one: a technique may key its per-host state by it. */
  hostIndex?: number;
}

export interface PortResult extends PortFields {
  /** Round-trip time of the answering probe, or null when nothing answered. */
  rttMs: number | null;
  /** SYN scans only: how the SYN-ACK looked, for OS detection later. */
  synAck?: SynAckTraits;
}

/** The parts of a SYN-ACK that differ between TCP stacks. */
export interface SynAckTraits {
  /** TTL (IPv4) or hop limit (IPv6) as received. */
  ttl: number;
  window: number;
  /** Option names in wire order, e.g. ["MSS", "SACK_PERMITTED", "TIMESTAMP", "NOP", "WSCALE"]. */
  options: string[];
  mss: number | null;
  windowScale: number | null;
}

/** Paces sends; resolves when a token is available (the engine's pacer: and the scan is not paused). */
export interface Pacer {
  acquire(count?: number): Promise<void> | void;
}

export interface TechniqueContext {
  readonly signal: AbortSignal;
  readonly pacer: Pacer;
  readonly maxRetries: number;
  /** Initial per-probe timeout; techniques adapt it to measured RTT. */
  readonly timeoutMs: number;
  /** About how many probes may await their verdict at once (see outstandingEstimate). */
  readonly outstanding?: number;
  result(r: PortResult): void;
  metric(name: MetricName, value: number): void;
  warning(message: string, code: string, severity: Severity): void;
  retry(target: string, port: number, attempt: number, delayMs: number): void;
  /**
   * Techniques await it between rounds of sends. Returns at once, except while
   * the scan is paused (until it resumes) and when the caller has not let the
   * event loop run for a while (after one turn of it): a technique sending
   * flat out never yields by itself, and signals, progress and the event log's
   * writes wait for those turns.
   */
  checkpoint(): Promise<void> | void;
}

/**
 * Retries an unanswered probe may have: all of `maxRetries` on a host that has
 * answered something (its silence may be loss), one on a host that has answered
 * nothing (a firewall dropping all, or no host there), as nmap gives it.
 */
export function retriesFor(hostAnswered: boolean, maxRetries: number): number {
  return hostAnswered ? maxRetries : Math.min(maxRetries, 1);
}

export interface Technique {
  readonly name: "syn" | "connect" | "udp";
  /** Probe everything, report each probe's final state exactly once, then resolve. */
  scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void>;
  close(): void;
}

/**
 * Tables sized for more outstanding probes than this grow while the scan runs.
 * Two timeouts' worth at 1 M probes/s: an unthrottled scan of 1.2 M probes
 * grew them from 2^18 three times while sending, 3.5% of its send rate
 * (bench-scan (e), 7 paired runs) and a higher peak RSS (~200 against ~300 MB,
 * the old and new copies alive together). Presized and barely used, 2^21 slots
 * hold 18 MiB resident (2^18: 8 MiB): the pages nothing writes stay unmapped.
 */
export const MAX_PRESIZED = 1 << 21;

/**
 * Probes a scan may have awaiting their verdict at once: every one of them, or
 * two timeouts' worth at the rate cap, between 1,024 and MAX_PRESIZED. A SYN
 * scan sizes its tables by it up front: growing them from 1,024 while sending
 * (allocating and copying, and compiling the copy loops) slowed the first
 * 0.3 s of an unthrottled scan of 234,000 probes by ~4% (scripts/tx-rate.ts A/B).
 */
export function outstandingEstimate(probes: number, rate: number | null, timeoutMs: number): number {
  const byRate = rate === null ? probes : Math.ceil((rate * timeoutMs) / 1000) * 2;
  return Math.max(1024, Math.min(probes, byRate, MAX_PRESIZED));
}

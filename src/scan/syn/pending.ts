import type { HostState } from "./hosts.ts";

// A probe between its admission and its verdict, and how a reply's attempt number is matched to it.

export interface PendingProbe {
  /** The probe's host as the engine named it, and its port (not the Probe itself, which dies young). */
  target: string;
  port: number;
  host: HostState;
  attempts: number;
  /** The numbers of its first and latest SYN (see attempts.ts): a reply naming one of them decides the probe. */
  firstAttempt: number;
  attempt: number;
  sentAt: number;
  done: boolean;
}

/**
 * Attempt `n` was one of `e`'s SYNs, to `port`. A spare probe reused since is
 * still what the old numbers' slots point at: its own numbers, if it has sent
 * any yet, come after them.
 */
export function sentTo(e: PendingProbe, n: number, port: number): boolean {
  return e.port === port && e.attempts > 0 && ((n - e.firstAttempt) | 0) >= 0 && ((e.attempt - n) | 0) >= 0;
}

/** An attempt still awaiting its reply: its probe is undecided, has sent, and this is its latest SYN. */
export const awaitingReply = (e: PendingProbe, n: number) => !e.done && e.attempts > 0 && e.attempt === n;

import type { NetSystem, Waiter } from "../../net/index.ts";
import type { SynOptionSet } from "./framer.ts";
import type { LinkOpener } from "./link.ts";

export interface SynOptions {
  openLink: LinkOpener;
  net: NetSystem;
  waiter: Waiter;
  /** Fresh random bytes per scan (≥ 8). */
  secret: Uint8Array;
  /** Our source ports: the BPF filter admits replies to these only. */
  sourcePorts?: { first: number; count: number };
  /** Lowest retransmission timeout however fast the replies come. */
  minTimeoutMs?: number;
  resolveWaitMs?: number;
  resolveAttempts?: number;
  /** Probes sent between two looks at the receive queue. */
  burst?: number;
  /** "fingerprint" offers every common TCP option, so SYN-ACKs show the target's stack (-O). */
  synOptions?: SynOptionSet;
}

/** What the technique saw besides verdicts; published as metrics and kept for tests. */
export interface SynCounters {
  sent: number;
  retries: number;
  replies: number;
  /** Replies whose ack or quoted sequence failed the cookie check. */
  spoofed: number;
  /** Valid-looking replies for probes already decided or never sent. */
  unsolicited: number;
}

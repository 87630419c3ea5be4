import type { EventBus, EventFactory, ScanType } from "../events/index.ts";
import type { MonotonicClock } from "../runtime/capabilities.ts";
import type { Family } from "./address.ts";
import type { HostDiscovery } from "./discovery.ts";
import type { Sleep } from "./pacer.ts";
import type { Shard } from "./permutation.ts";
import type { ServiceDetector } from "./service-hook.ts";
import type { Resolver, TargetPlan } from "./targets.ts";
import type { Technique } from "./technique.ts";
import type { TimingTemplate } from "./timing.ts";

// What one scan is asked to do (ScanPlan) and what the engine runs on (EngineDeps).

export interface ScanPlan {
  targets: TargetPlan;
  ports: readonly number[];
  scanType: ScanType;
  technique: Technique;
  /** null skips discovery (-Pn): every host is scanned. */
  discovery: HostDiscovery | null;
  /** -sn: discovery only. */
  pingOnly: boolean;
  detector: ServiceDetector | null;
  /**
   * -sS/-sT with -sU: UDP probed after `technique`'s ports, over the same hosts,
   * in the same scan (one ScanStarted, one run through the stages, totals of both).
   */
  udp?: ScanPass;
  timing: TimingTemplate;
  maxRetries: number;
  maxRate: number | null;
  minRate: number | null;
  seed: number;
  /** -r: hosts and ports in order (the seed unused); otherwise the seed's permutation. */
  inOrder?: boolean;
  shard?: Shard;
  /** --host-timeout in ms: hosts still being scanned this long after the port scan began are given up on. Absent or 0: no limit. */
  hostTimeoutMs?: number;
  family: Family;
  resolver: Resolver;
  /**
   * Each name given as a target and the address it resolved to. Events carry
   * addresses only (the schema is a contract); the reports name hosts from this.
   */
  onResolved?: (name: string, address: string) => void;
}

/** A technique with its own ports and service detector, run after the plan's own. */
export interface ScanPass {
  technique: Technique;
  ports: readonly number[];
  detector: ServiceDetector | null;
}

/** Schedules a repeating callback; returns its canceller. Tests drive it by hand. */
export type Ticker = (fn: () => void, everyMs: number) => () => void;

export const intervalTicker: Ticker = (fn, ms) => {
  const id = setInterval(fn, ms);
  return () => clearInterval(id);
};

export interface EngineDeps {
  bus: EventBus;
  factory: EventFactory;
  clock: MonotonicClock;
  sleep?: Sleep;
  ticker?: Ticker;
  /** Lets the event loop run once (see EVENT_LOOP_TURN_MS); tests count the turns. */
  nextTurn?: () => Promise<void>;
  /** A promise while a subscriber (the event log) needs the scan to wait for it to catch up. */
  backpressure?: () => Promise<void> | undefined;
}

export interface ScanOutcome {
  cancelled: boolean;
  hostsUp: number;
  open: number;
  closed: number;
  filtered: number;
}

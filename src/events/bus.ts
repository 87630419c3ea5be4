import { compileDispatch } from "./dispatch.ts";
import type { Call } from "./dispatch.ts";
import { compileFilter, matches } from "./filter.ts";
import type { CompiledFilter, EventFilter } from "./filter.ts";
import { Ring } from "./ring.ts";
import { EVENT_TYPES, UNKNOWN_TYPE_ID } from "./schema.ts";
import { Subscription } from "./subscription.ts";
import { afterUnref } from "../runtime/unref-timer.ts";
import { RingTap, TAP_RING } from "./tap.ts";
import type { TapHost, TapReader } from "./tap.ts";
import { CHECK_BY_ID } from "./validate.ts";
import type { AnyEvent, ScanEvent } from "./types.ts";

export interface BusOptions {
  /** Events kept for late subscribers and `history()`. */
  history?: number;
  /** Default queue bound of each async subscriber. */
  queueCapacity?: number;
}

export interface SubscribeOptions {
  name?: string;
  capacity?: number;
}

/** Everything publish needs to know of one event type. */
interface TypeEntry {
  readonly check: (e: ScanEvent) => string | null;
  /** Receivers without a `rest` check; the others count their own deliveries. */
  readonly plain: number;
  /** Calls every receiver of the type (see dispatch.ts). */
  readonly dispatch: Call;
}

interface Listener {
  readonly name: string;
  readonly filter: CompiledFilter;
  /** What the bus calls: the listener itself, or wrapped in its filter's `rest` check. */
  readonly call: (e: AnyEvent) => void;
}


export interface BusStats {
  published: number;
  rejected: number;
  rejectedBy: Record<string, number>;
  delivered: number;
  listenerErrors: number;
  historyLength: number;
  subscribers: { name: string; delivered: number; dropped: number; queued: number }[];
}

export interface Unsubscribe {
  close(): void;
  [Symbol.dispose](): void;
}

/**
 * Reads every accepted event in publish order, in batches taken from the history
 * ring: `events[0..count)`, valid only during the call. `missed` counts events
 * the ring overwrote before they could be read (only when the reader itself
 * publishes a whole ring's worth while it reads).
 */
export interface Tap extends Unsubscribe {
  /** Hands the reader what is pending now rather than at the end of the job. */
  flush(): void;
}

/**
 * In-process event bus. `publish` is synchronous, O(subscribers of that type),
 * never waits and never throws into the publisher. Per-type dispatch tables mean
 * a subscriber whose filter excludes an event type costs nothing for it.
 *
 * A scanner in a Worker publishes here by posting arrays of events (they are
 * plain, structured-clonable objects) that the main thread hands to `publishBatch`.
 */
export class EventBus {
  private seq = 0;
  private rejectedCount = 0;
  private readonly rejectedBy = new Map<string, number>();
  private deliveredCount = 0;
  private listenerErrorCount = 0;
  private readonly ring: Ring<AnyEvent>;
  // Events history() returns; the ring holds more while a tap reads it.
  private readonly historyLimit: number;
  private readonly queueCapacity: number;
  private readonly subscriptions = new Set<Subscription>();
  private readonly listeners = new Set<Listener>();
  // One entry per event type, looked up by the event's name: a single property
  // read gives publish its check, receivers and count, where a type id and
  // three tables indexed by it cost ~1.3 ns more a publish (bench-bus.ts --row 2,
  // 7 paired processes: 11.2 against 12.5 ns, faster in all 7 pairs). Replaced, never mutated, so a
  // publish in progress is not disturbed by a subscribe or close from a listener.
  private entries: Record<string, TypeEntry | undefined> = Object.create(null);
  // Events of a type the schema does not know: passed through unchecked.
  private unknownEntry: TypeEntry = { check: () => null, plain: 0, dispatch: () => {} };
  // The event log's reader of the ring (see tap()); a placeholder that never reads when there is none.
  private tapState: RingTap;
  private readonly tapHost: TapHost;

  constructor(options: BusOptions = {}) {
    this.historyLimit = options.history ?? 1000;
    this.ring = new Ring(this.historyLimit);
    this.queueCapacity = options.queueCapacity ?? 65_536;
    const bus = this;
    this.tapHost = {
      get lastSeq(): number {
        return bus.seq;
      },
      historyLimit: this.historyLimit,
      delivered: (n) => {
        this.deliveredCount += n;
      },
      failed: () => {
        this.listenerErrorCount++;
      },
    };
    this.tapState = RingTap.none(this.ring, this.tapHost);
    this.rebuild();
  }

  /** Stamps `seq` and delivers. Returns false when validation rejected the event. */
  publish(e: AnyEvent): boolean {
    const t = this.entries[e.event] ?? this.unknownEntry;
    const reason = t.check(e as ScanEvent);
    if (reason !== null) {
      this.reject(reason);
      return false;
    }
    const seq = ++this.seq;
    e.seq = seq;
    this.ring.put(seq, e);
    if (seq === this.tapState.at) this.tapState.due();
    this.deliveredCount += t.plain;
    t.dispatch(e);
    return true;
  }

  publishBatch(events: Iterable<AnyEvent>): number {
    let accepted = 0;
    for (const e of events) if (this.publish(e)) accepted++;
    return accepted;
  }

  /** The seq the next accepted event will carry, minus one. */
  get lastSeq(): number {
    return this.seq;
  }

  subscribe(filter: EventFilter = {}, options: SubscribeOptions = {}): Subscription {
    const sub = new Subscription(
      options.name ?? `subscriber-${this.subscriptions.size + 1}`,
      compileFilter(filter),
      options.capacity ?? this.queueCapacity,
      (s) => {
        this.subscriptions.delete(s);
        this.rebuild();
      },
    );
    this.subscriptions.add(sub);
    this.rebuild();
    return sub;
  }

  /** A synchronous listener; an exception it throws is counted, never propagated. */
  on(filter: EventFilter, fn: (e: AnyEvent) => void, name = `listener-${this.listeners.size + 1}`): Unsubscribe {
    const compiled = compileFilter(filter);
    const rest = compiled.rest;
    const call: Call =
      rest === null
        ? fn
        : (e) => {
            if (!rest(e)) return;
            this.deliveredCount++;
            fn(e);
          };
    const listener: Listener = { name, filter: compiled, call };
    this.listeners.add(listener);
    this.rebuild();
    const close = () => {
      if (this.listeners.delete(listener)) this.rebuild();
    };
    return { close, [Symbol.dispose]: close };
  }

  /**
   * A reader of every accepted event, in order, that costs the publisher no call:
   * the events are read from the history ring in a microtask after the
   * publisher's synchronous run while it streams, within 1-64 ms after a pause
   * (a timer, see tap.ts), and at once, inside publish, when the ring is about
   * to overwrite one not read yet. One tap per bus (the event log).
   */
  tap(reader: TapReader): Tap {
    if (this.tapState.active) throw new Error("this bus already has a tap");
    this.ring.resize(Math.max(this.historyLimit, TAP_RING), this.seq);
    const tap = new RingTap(this.ring, this.tapHost, reader, afterUnref);
    this.tapState = tap;
    const close = () => {
      if (this.tapState !== tap) return;
      tap.close();
      this.tapState = RingTap.none(this.ring, this.tapHost);
      this.ring.resize(this.historyLimit, this.seq);
    };
    return { flush: () => tap.flush(), close, [Symbol.dispose]: close };
  }

  /**
   * Retained events matching `filter`, oldest first: only those with seq > `since`,
   * and only the newest `limit` of them.
   */
  history(filter: EventFilter = {}, options: { since?: number; limit?: number } = {}): AnyEvent[] {
    const compiled = compileFilter(filter);
    const since = options.since ?? 0;
    const out: AnyEvent[] = [];
    let older = this.ring.length(this.seq) - this.historyLimit;
    for (const e of this.ring.toArray(this.seq)) {
      if (older-- > 0) continue;
      if (e.seq! > since && matches(compiled, e)) out.push(e);
    }
    const limit = options.limit ?? out.length;
    return limit >= out.length ? out : out.slice(out.length - limit);
  }

  /** Every retained event published after `seq`. */
  since(seq: number): AnyEvent[] {
    return this.history({}, { since: seq });
  }

  stats(): BusStats {
    return {
      published: this.seq,
      rejected: this.rejectedCount,
      rejectedBy: Object.fromEntries(this.rejectedBy),
      delivered: this.deliveredCount,
      listenerErrors: this.listenerErrorCount,
      historyLength: Math.min(this.ring.length(this.seq), this.historyLimit),
      subscribers: [...this.subscriptions].map((s) => ({
        name: s.name,
        delivered: s.delivered,
        dropped: s.dropped,
        queued: s.queued,
      })),
    };
  }

  /** Close every subscription; their queued events stay readable. */
  close(): void {
    for (const s of [...this.subscriptions]) s.close();
    this.listeners.clear();
    this.rebuild();
  }

  private readonly countListenerError = () => {
    this.listenerErrorCount++;
  };

  private reject(reason: string): void {
    this.rejectedCount++;
    this.rejectedBy.set(reason, (this.rejectedBy.get(reason) ?? 0) + 1);
  }

  private rebuild(): void {
    // Listeners first, then subscriptions, each in the order they came.
    const receivers = [
      ...[...this.listeners].map((l) => ({ filter: l.filter, call: l.call })),
      ...[...this.subscriptions].map((s) => ({ filter: s.filter, call: this.deliveryTo(s) })),
    ];
    const entry = (id: number, check: TypeEntry["check"]): TypeEntry => {
      const matching = receivers.filter((r) => r.filter.typeMatches[id]);
      return {
        check,
        plain: matching.filter((r) => r.filter.rest === null).length,
        dispatch: compileDispatch(matching.map((r) => r.call), this.countListenerError),
      };
    };
    const entries: Record<string, TypeEntry | undefined> = Object.create(null);
    EVENT_TYPES.forEach((name, id) => {
      entries[name] = entry(id, CHECK_BY_ID[id]!);
    });
    this.entries = entries;
    this.unknownEntry = entry(UNKNOWN_TYPE_ID, () => null);
  }

  private deliveryTo(s: Subscription): Call {
    const rest = s.rest;
    if (rest === null) return (e) => s.push(e);
    return (e) => {
      if (!rest(e)) return;
      this.deliveredCount++;
      s.push(e);
    };
  }

}

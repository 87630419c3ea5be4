import type { Ring } from "./ring.ts";
import type { AnyEvent } from "./types.ts";

/**
 * The ring's capacity while a tap reads it: a synchronous burst of up to this
 * many events is read after the publisher's run, not inside publish.
 */
export const TAP_RING = 16_384;

/**
 * Reads every accepted event in publish order, in batches taken from the history
 * ring: `events[0..count)`, valid only during the call. `missed` counts events
 * the ring overwrote before they could be read (only when the reader itself
 * publishes a whole ring's worth while it reads).
 */
export type TapReader = (events: (AnyEvent | undefined)[], count: number, missed: number) => void;

/** What a tap needs of its bus. */
export interface TapHost {
  readonly lastSeq: number;
  /** Events the bus keeps for history(): the ring lets go of older ones once they are read. */
  readonly historyLimit: number;
  /** `n` events were handed to the reader. */
  delivered(n: number): void;
  /** The reader threw. */
  failed(): void;
}

/** Where a tap looks after a pause: soon after the last read that found something, backing off while nothing comes. */
export const POLL_MIN_MS = 1;
export const POLL_MAX_MS = 64;

/**
 * Microtask looks in a row that may find nothing before the tap polls on a timer
 * instead: a publisher that yields only to microtasks (awaits between batches,
 * other work between them) keeps being read after each batch, without a timer.
 */
export const IDLE_LOOKS = 64;

/** A one-shot timer that does not keep the process alive; returns its cancel. */
export type After = (ms: number, fn: () => void) => () => void;

/**
 * The state of one tap on a bus's history ring (grown to TAP_RING while the tap
 * reads it). The tap reads in microtasks while a publisher streams: a look
 * looks again at the next microtask, until IDLE_LOOKS in a row found nothing
 * new; then it polls on a timer (1 ms, backing off to 64 ms), so the publisher
 * never has to wake the tap. Publish calls `due()` only at the event whose
 * seq is `at`: the one that fills the ring with unread events, which are then
 * read at once, inside publish. Keeping every call out of a streaming
 * publisher's path matters: a publish whose call to the tap has run at all is
 * compiled into a loop half as fast (scripts/bench-log.ts: publish throughput with the logger attached
 * 0.47x of none when publish woke the tap at the first event after each pause,
 * 28 times in 5 M events).
 */
export class RingTap {
  /** The seq whose publish finds the ring full of unread events; -1 once the tap is closed. */
  at: number;
  private readSeq: number;
  /** The bus's last seq when the tap last looked: a later one means the publisher is streaming. */
  private lookedAt: number;
  private scheduled = false;
  private reading = false;
  private pollMs = POLL_MIN_MS;
  /** Looks in a row that found nothing new. */
  private idleLooks = 0;
  private cancelPoll: (() => void) | null = null;
  private readonly buffer: (AnyEvent | undefined)[];
  private readonly task = () => {
    this.scheduled = false;
    this.look();
  };
  private readonly poll = () => {
    this.cancelPoll = null;
    this.look();
  };

  constructor(
    private readonly ring: Ring<AnyEvent>,
    private readonly host: TapHost,
    private reader: TapReader | null,
    private readonly after: After,
  ) {
    this.readSeq = host.lastSeq;
    this.lookedAt = this.readSeq;
    this.at = this.readSeq + ring.capacity;
    this.buffer = new Array<AnyEvent | undefined>(reader === null ? 0 : ring.capacity).fill(undefined);
    if (reader !== null) this.keepLooking();
  }

  private look(): void {
    const streaming = this.host.lastSeq !== this.lookedAt;
    this.lookedAt = this.host.lastSeq;
    this.flush();
    if (this.reader === null) return;
    if (streaming) {
      this.idleLooks = 0;
      this.pollMs = POLL_MIN_MS;
      this.keepLooking();
    } else if (++this.idleLooks < IDLE_LOOKS) this.keepLooking();
    else this.armPoll();
  }

  /** Looks again at the next microtask. */
  private keepLooking(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.task);
  }

  private armPoll(): void {
    if (this.cancelPoll !== null) return;
    this.cancelPoll = this.after(this.pollMs, this.poll);
    this.pollMs = Math.min(this.pollMs * 2, POLL_MAX_MS);
  }

  /** A tap that never reads: the bus's placeholder when it has none. */
  static none(ring: Ring<AnyEvent>, host: TapHost): RingTap {
    const tap = new RingTap(ring, host, null, () => () => {});
    tap.at = -1;
    return tap;
  }

  get active(): boolean {
    return this.reader !== null;
  }

  /** The ring is full of unread events: read them now, before publish overwrites the oldest. */
  due(): void {
    this.flush();
  }

  /** Hands the reader everything unread. A reader that publishes is not re-entered: the loop reads what it published. */
  flush(): void {
    const reader = this.reader;
    if (reader === null || this.reading) return;
    this.reading = true;
    try {
      while (this.host.lastSeq > this.readSeq) {
        const seq = this.host.lastSeq;
        const pending = seq - this.readSeq;
        const count = Math.min(pending, this.ring.length(seq), this.buffer.length);
        this.ring.copyNewest(count, seq, this.buffer);
        this.readSeq = seq;
        this.at = seq + this.ring.capacity;
        this.host.delivered(count);
        try {
          reader(this.buffer, count, pending - count);
        } catch {
          this.host.failed();
        }
        // The reader had them for the call only; kept here they would outlive the ring's trim below.
        this.buffer.fill(undefined, 0, count);
      }
    } finally {
      this.reading = false;
    }
    // Read events past the history limit are no longer needed: letting go of
    // them now, not when the ring comes round, leaves a tapped bus holding as
    // many events between bursts as an untapped one (1,000, not 16,384).
    this.ring.trim(this.host.historyLimit, this.host.lastSeq);
    this.at = this.readSeq + this.ring.capacity;
  }

  /** Reads what is pending, then never again. */
  close(): void {
    this.flush();
    this.reader = null;
    this.at = -1;
    this.cancelPoll?.();
    this.cancelPoll = null;
  }
}

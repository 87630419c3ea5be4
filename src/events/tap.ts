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

/**
 * The state of one tap on a bus's history ring (grown to TAP_RING while the tap
 * reads it). The tap reads in microtasks: while a read finds events it looks
 * again at the next microtask, so a publisher streaming between microtask
 * yields never has to wake it. A read that finds nothing ends that chain, and
 * then the bus calls `due()` at the event whose seq is `at`: the first one
 * after the pause (schedule the next read) or the one that fills the ring with
 * unread events (read them now, inside publish). Keeping that call out of a
 * streaming publisher's path matters: a publish whose wake-up call has run at
 * all is compiled into a slower loop (scripts/bench-log.ts: publish throughput
 * with the logger attached 0.61-0.71x of none with the call taken once a burst,
 * 0.84-1.02x with the chain).
 */
export class RingTap {
  /** The seq whose publish needs the tap; -1 once the tap is closed. */
  at: number;
  private readSeq: number;
  private scheduled = false;
  private reading = false;
  private readonly buffer: (AnyEvent | undefined)[];
  private readonly task = () => {
    this.scheduled = false;
    const before = this.readSeq;
    this.flush();
    // Events came since the last look: the publisher is mid-stream. A look that finds nothing ends the chain.
    if (this.readSeq !== before && this.reader !== null) this.keepReading();
  };

  constructor(
    private readonly ring: Ring<AnyEvent>,
    private readonly host: TapHost,
    private reader: TapReader | null,
  ) {
    this.readSeq = host.lastSeq;
    this.at = this.readSeq + 1;
    this.buffer = new Array<AnyEvent | undefined>(reader === null ? 0 : ring.capacity).fill(undefined);
    if (reader !== null) this.keepReading();
  }

  /** Reads at the next microtask; publish only checks for a full ring meanwhile. */
  private keepReading(): void {
    this.scheduled = true;
    this.at = this.readSeq + this.ring.capacity;
    queueMicrotask(this.task);
  }

  /** A tap that never reads: the bus's placeholder when it has none. */
  static none(ring: Ring<AnyEvent>, host: TapHost): RingTap {
    const tap = new RingTap(ring, host, null);
    tap.at = -1;
    return tap;
  }

  get active(): boolean {
    return this.reader !== null;
  }

  due(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.task);
    }
    if (this.host.lastSeq - this.readSeq >= this.ring.capacity) this.flush();
    else this.at = this.readSeq + this.ring.capacity;
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
        const count = Math.min(pending, this.ring.length, this.buffer.length);
        this.ring.copyNewest(count, this.buffer);
        this.readSeq = seq;
        this.at = seq + 1;
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
    this.ring.trim(this.host.historyLimit);
    // With a read already scheduled, publish need only watch for a full ring.
    this.at = this.readSeq + (this.scheduled ? this.ring.capacity : 1);
  }

  /** Reads what is pending, then never again. */
  close(): void {
    this.flush();
    this.reader = null;
    this.at = -1;
  }
}

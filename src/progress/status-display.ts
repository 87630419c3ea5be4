import type { Clock, Output } from "../runtime/capabilities.ts";
import type { Scheduler } from "./scheduler.ts";
import { fitWidth } from "./text-width.ts";

export interface StatusDisplayOptions {
  out: Output;
  clock: Clock;
  scheduler: Scheduler;
  /** Redraw in place (true) or print a plain line every `plainIntervalMs` (false). */
  tty: boolean;
  /** The lines to show now, for a terminal. */
  frame(): string[];
  /** The plain status line, or null when there is nothing to say yet. */
  plain(): string | null;
  /** Shortest time between two redraws: 100 ms is 10 per second. */
  minIntervalMs?: number;
  plainIntervalMs?: number;
  /** Redraw this often even without events, so elapsed time and ETA keep moving. */
  heartbeatMs?: number;
}

/**
 * The lines at the bottom of the terminal that show progress. Results written
 * through `printAbove` go above them, so a result line is never broken by a
 * redraw. Where the output is no terminal there are no escapes at all: one
 * complete plain line every few seconds.
 */
export class StatusDisplay {
  private drawn: string[] = [];
  private lastDraw = Number.NEGATIVE_INFINITY;
  private cancelRedraw: (() => void) | null = null;
  private cancelTick: (() => void) | null = null;
  private closed = false;
  private readonly minInterval: number;
  private readonly plainInterval: number;
  private readonly heartbeat: number;

  constructor(private readonly o: StatusDisplayOptions) {
    this.minInterval = o.minIntervalMs ?? 100;
    this.plainInterval = o.plainIntervalMs ?? 5000;
    this.heartbeat = o.heartbeatMs ?? 1000;
  }

  start(): void {
    if (this.o.tty) this.draw();
    this.tick();
  }

  private tick(): void {
    const every = this.o.tty ? this.heartbeat : this.plainInterval;
    this.cancelTick = this.o.scheduler.after(every, () => {
      if (this.closed) return;
      if (this.o.tty) this.invalidate();
      else this.printPlain();
      this.tick();
    });
  }

  private plainPrinted = false;

  private printPlain(): void {
    const line = this.o.plain();
    if (line === null) return;
    this.o.out.write(line + "\n");
    this.plainPrinted = true;
  }

  /** Something changed: redraw now, or as soon as the rate limit allows. */
  invalidate(): void {
    if (this.closed || !this.o.tty || this.cancelRedraw !== null) return;
    const wait = this.lastDraw + this.minInterval - this.o.clock.now();
    if (wait <= 0) {
      this.draw();
      return;
    }
    this.cancelRedraw = this.o.scheduler.after(wait, () => {
      this.cancelRedraw = null;
      if (!this.closed) this.draw();
    });
  }

  /** Write one result line (to `to`, default the status output) above the status lines. */
  printAbove(line: string, to: Output = this.o.out): void {
    const text = line.endsWith("\n") ? line : line + "\n";
    if (!this.o.tty || this.closed || this.drawn.length === 0) {
      to.write(text);
      return;
    }
    if (to === this.o.out) {
      this.o.out.write(this.erase() + text);
    } else {
      this.o.out.write(this.erase());
      to.write(text);
    }
    this.drawn = [];
    this.invalidate();
  }

  private erase(): string {
    if (this.drawn.length === 0) return "";
    return "\r\x1b[2K" + "\x1b[1A\x1b[2K".repeat(this.drawn.length - 1);
  }

  private draw(): void {
    const width = Math.max(1, this.o.out.size().columns - 1);
    const lines = this.o.frame().map((l) => fitWidth(l, width));
    this.lastDraw = this.o.clock.now();
    if (lines.length === this.drawn.length && lines.every((l, i) => l === this.drawn[i])) return;
    this.o.out.write(this.erase() + lines.join("\n"));
    this.drawn = lines;
  }

  /** The final frame stays on screen, followed by a newline; timers stop. */
  close(): void {
    if (this.closed) return;
    this.cancelRedraw?.();
    this.cancelTick?.();
    this.cancelRedraw = null;
    if (this.o.tty) {
      this.draw();
      if (this.drawn.length > 0) this.o.out.write("\n");
    } else if (this.plainPrinted) {
      // A scan shorter than one interval stays silent on a pipe, as nmap is;
      // a longer one ends its status lines with where it finished.
      this.printPlain();
    }
    this.closed = true;
  }
}

import type { Clock, Output } from "../runtime/capabilities.ts";
import type { Scheduler } from "./scheduler.ts";
import type { Room } from "./render-lines.ts";
import { fitWidth, textWidth } from "./text-width.ts";

export interface StatusDisplayOptions {
  out: Output;
  clock: Clock;
  scheduler: Scheduler;
  /** Redraw in place (true) or print a plain line every `plainIntervalMs` (false). */
  tty: boolean;
  /** The lines to show now, for a terminal, fitted to the room the terminal has for them. */
  frame(room: Room): string[];
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
  /** Columns each drawn line took: after the terminal narrows, a line may wrap over several rows. */
  private drawnWidths: number[] = [];
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

  /**
   * Back to the start of the first drawn line, clearing every row on the way.
   * Rows are counted at the terminal's width now, not when drawn: a terminal
   * that narrowed since (SIGWINCH) has re-wrapped each line over several rows,
   * and clearing one row per line left a stale copy above the status.
   */
  private erase(): string {
    if (this.drawn.length === 0) return "";
    const columns = Math.max(1, this.o.out.size().columns);
    let rows = 0;
    for (const w of this.drawnWidths) rows += Math.max(1, Math.ceil(w / columns));
    return "\r\x1b[2K" + "\x1b[1A\x1b[2K".repeat(rows - 1);
  }

  private draw(): void {
    const size = this.o.out.size();
    // One column and one row spare: a line as wide as the terminal wraps on some
    // terminals, and a frame as tall as it scrolls its first line away each redraw.
    const room = { columns: Math.max(1, size.columns - 1), rows: Math.max(1, size.rows - 1) };
    const lines = this.o.frame(room).slice(-room.rows).map((l) => fitWidth(l, room.columns));
    this.lastDraw = this.o.clock.now();
    if (lines.length === this.drawn.length && lines.every((l, i) => l === this.drawn[i])) return;
    this.o.out.write(this.erase() + lines.join("\n"));
    this.drawn = lines;
    this.drawnWidths = lines.map(textWidth);
  }

  /**
   * Timers stop. On a terminal the final frame stays, followed by a newline,
   * unless `erase`: then the status is wiped and the report printed above it is
   * the last thing on screen, as with nmap (masscan clears its status line too).
   */
  close(erase = false): void {
    if (this.closed) return;
    this.cancelRedraw?.();
    this.cancelTick?.();
    this.cancelRedraw = null;
    if (this.o.tty && erase) {
      this.o.out.write(this.erase());
      this.drawn = [];
    } else if (this.o.tty) {
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

import type { Clock, MonotonicClock, Output, SignalName } from "../../runtime/capabilities.ts";
import type { ScanControl } from "../../scan/control.ts";
import type { Scheduler } from "../scheduler.ts";
import type { ProgressTracker } from "../tracker.ts";
import { clearScreen, enterSequence, moveTo, restoreSequence } from "./ansi.ts";
import { KeyDecoder } from "./keys.ts";
import type { Key } from "./keys.ts";
import { buildFrame, tableHeight } from "./layout.ts";
import type { PortNamer } from "../../scan/index.ts";
import { SortedPorts } from "./port-cells.ts";

export interface DashboardIo {
  out: Output;
  clock: Clock;
  scheduler: Scheduler;
  /** Raw key bytes (stdin in raw mode). */
  keys?: AsyncIterable<Uint8Array | string>;
  setRawMode?(on: boolean): void;
  onSignal?(signal: SignalName, handler: () => void): () => void;
  /** Times frame builds (`lastFrameMs`); the clock above when absent. */
  stopwatch?: MonotonicClock;
}

export interface DashboardOptions {
  /** Pause and cancel go here; without it `p` and `q` only say so (q still leaves an ended scan). */
  control?: ScanControl;
  colour: boolean;
  /** Frames per second at most. */
  maxFps?: number;
  /** -sV ran (the SERVICE column's "?" rule). */
  serviceScan?: boolean;
  /** Port names for the SERVICE column, as the report's. */
  portName?: PortNamer;
}

/**
 * The --live screen. It redraws only when the tracker, the view or the
 * terminal size changed, at most `maxFps` times a second, and rewrites only
 * the lines that differ from the last frame. Whatever ends it (q, the scan's
 * end, an error, SIGINT, SIGTERM), `close` gives the terminal back as it was.
 */
export class Dashboard {
  /** Frames written, and their build times in ms (the benchmark reads them). */
  frames = 0;
  lastFrameMs = 0;
  private shown: string[] = [];
  private shownVersion = -1;
  private shownSecond = -1;
  private shownSize = "";
  private uiVersion = 0;
  private shownUi = -1;
  private scroll = 0;
  private follow = true;
  private help = false;
  private message: string | null = null;
  private quitRequested = false;
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private cancelFrame: (() => void) | null = null;
  private cancelTick: (() => void) | null = null;
  private readonly unhook: (() => void)[] = [];
  private keyIterator: AsyncIterator<Uint8Array | string> | null = null;
  private closed = false;
  private resolveExit!: () => void;
  /** Settles when the user is done with the screen: q after the scan ended, or a cancel that took effect. */
  readonly exited: Promise<void> = new Promise((r) => (this.resolveExit = r));
  private readonly minInterval: number;
  private readonly sorted = new SortedPorts();

  constructor(
    private readonly tracker: ProgressTracker,
    private readonly options: DashboardOptions,
    private readonly io: DashboardIo,
  ) {
    this.minInterval = 1000 / (options.maxFps ?? 60);
  }

  start(): void {
    this.io.out.write(enterSequence);
    this.io.setRawMode?.(true);
    if (this.io.onSignal) {
      const stop = (signal: string) => () => {
        this.close();
        this.options.control?.cancel(`interrupted by ${signal}`);
      };
      this.unhook.push(this.io.onSignal("SIGINT", stop("SIGINT")));
      this.unhook.push(this.io.onSignal("SIGTERM", stop("SIGTERM")));
      this.unhook.push(this.io.onSignal("SIGWINCH", () => this.invalidate()));
    }
    if (this.io.keys) void this.readKeys(this.io.keys);
    this.draw();
    this.tick();
  }

  private tick(): void {
    this.cancelTick = this.io.scheduler.after(250, () => {
      if (this.closed) return;
      this.invalidate();
      this.tick();
    });
  }

  private async readKeys(source: AsyncIterable<Uint8Array | string>): Promise<void> {
    const decoder = new KeyDecoder();
    this.keyIterator = source[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await this.keyIterator.next();
        if (next.done || this.closed) return;
        for (const key of decoder.push(next.value)) this.press(key);
      }
    } catch {
      // The key source failed (stdin closed): the screen stays, q is lost; signals still work.
    }
  }

  /** A key, as if typed. */
  press(key: Key): void {
    if (this.closed) return;
    const status = this.tracker.status;
    const ended = status === "completed" || status === "cancelled";
    const page = Math.max(1, tableHeight(this.io.out.size().rows));
    switch (key) {
      case "q":
      case "interrupt":
        if (ended || this.quitRequested || this.options.control === undefined) {
          this.resolveExit();
        } else {
          this.quitRequested = true;
          this.message = "cancelling…";
          // Ctrl-C in raw mode arrives as a key: it is logged as the line modes log Ctrl-C.
          this.options.control.cancel(key === "q" ? "user_requested" : "interrupted by SIGINT");
        }
        break;
      case "p":
        if (ended) break;
        if (this.options.control === undefined) this.message = "pause is not available here";
        else if (this.options.control.paused) this.options.control.resume();
        else this.options.control.pause();
        break;
      case "help":
      case "escape":
        this.help = key === "help" ? !this.help : false;
        break;
      case "up":
        this.scrollTo(this.scroll - 1);
        break;
      case "down":
        this.scrollTo(this.scroll + 1);
        break;
      case "pageup":
        this.scrollTo(this.scroll - page);
        break;
      case "pagedown":
        this.scrollTo(this.scroll + page);
        break;
      case "home":
        this.scrollTo(0);
        break;
      case "end":
        this.scrollTo(Number.MAX_SAFE_INTEGER);
        break;
    }
    this.uiVersion++;
    this.invalidate();
  }

  private maxScroll(): number {
    return Math.max(0, this.tracker.ports.rows.length - tableHeight(this.io.out.size().rows));
  }

  private scrollTo(row: number): void {
    const max = this.maxScroll();
    this.scroll = Math.max(0, Math.min(max, row));
    this.follow = this.scroll >= max;
  }

  /** Something may have changed: draw at the next frame slot. Cheap enough to call per event. */
  invalidate(): void {
    if (this.closed || this.cancelFrame !== null) return;
    const wait = this.lastFrameAt + this.minInterval - this.io.clock.now();
    if (wait <= 0) {
      this.draw();
      return;
    }
    this.cancelFrame = this.io.scheduler.after(wait, () => {
      this.cancelFrame = null;
      this.draw();
    });
  }

  private draw(): void {
    if (this.closed) return;
    const t = this.tracker;
    if (t.status === "cancelled" && this.quitRequested) {
      this.resolveExit();
    }
    // Without a key source nobody can press q: an ended scan leaves the screen at once.
    if (this.io.keys === undefined && (t.status === "completed" || t.status === "cancelled")) {
      this.resolveExit();
    }
    const size = this.io.out.size();
    const sizeKey = `${size.columns}x${size.rows}`;
    const second = t.scanSecond();
    if (t.version === this.shownVersion && this.uiVersion === this.shownUi && second === this.shownSecond && sizeKey === this.shownSize) {
      return;
    }
    const watch = this.io.stopwatch ?? this.io.clock;
    const started = watch.now();
    if (this.follow) this.scroll = this.maxScroll();
    else this.scroll = Math.min(this.scroll, this.maxScroll());
    const frame = buildFrame(
      {
        snapshot: t.snapshot(),
        ports: this.sorted.sync(t.ports.rows),
        warnings: t.warnings.rows,
        warningTotal: t.warnings.total,
        pps: t.ppsHistory.series(second),
        scroll: this.scroll,
        help: this.help,
        message: this.message,
        colour: this.options.colour,
        keys: this.io.keys !== undefined,
        serviceScan: this.options.serviceScan,
        portName: this.options.portName,
      },
      size,
    );
    let out = "";
    const resized = sizeKey !== this.shownSize;
    if (resized) out += clearScreen;
    for (let i = 0; i < frame.lines.length; i++) {
      if (!resized && frame.lines[i] === this.shown[i]) continue;
      out += moveTo(i + 1) + frame.lines[i];
    }
    if (out !== "") this.io.out.write(out);
    this.shown = frame.lines;
    this.shownVersion = t.version;
    this.shownUi = this.uiVersion;
    this.shownSecond = second;
    this.shownSize = sizeKey;
    this.lastFrameAt = this.io.clock.now();
    this.lastFrameMs = watch.now() - started;
    this.frames++;
  }

  /** Give the terminal back: main screen, cursor, line wrap, cooked mode. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelFrame?.();
    this.cancelTick?.();
    for (const u of this.unhook) u();
    this.io.out.write(restoreSequence);
    this.io.setRawMode?.(false);
    void this.keyIterator?.return?.();
    this.resolveExit();
  }
}

import type { EventBus, StageName } from "../events/index.ts";
import type { Clock, MonotonicClock, Output, SignalName } from "../runtime/capabilities.ts";
import type { ScanControl } from "../scan/control.ts";
import type { EtaMethod } from "./eta-types.ts";
import { plainLine, styleLines } from "./render-lines.ts";
import type { ProgressStyle } from "./render-lines.ts";
import { timerScheduler } from "./scheduler.ts";
import type { Scheduler } from "./scheduler.ts";
import { StatusDisplay } from "./status-display.ts";
import { ProgressTracker } from "./tracker.ts";
import { Dashboard } from "./tui/dashboard.ts";
import { stderrMessage, tapLines } from "./tui/stderr-tap.ts";
import type { PortNamer } from "../scan/index.ts";

export interface ProgressOptions {
  style?: ProgressStyle;
  eta?: EtaMethod;
  /** --live: the full-screen dashboard (on a terminal). */
  live?: boolean;
  /** -q: nothing at all. */
  quiet?: boolean;
  /** false for --no-progress. */
  progress?: boolean;
  /** Whether `out` is a terminal. */
  isTTY: boolean;
  /** NO_COLOR set (to anything non-empty). */
  noColor: boolean;
  /** Stages the scan will not run: HostDiscovery with -Pn, ServiceDetection without -sV. */
  skipStages?: readonly StageName[];
  /** -sV: the dashboard's SERVICE column marks unconfirmed names with "?", as the report does. */
  serviceScan?: boolean;
}

export interface ProgressIo {
  /** Where progress goes: stderr for the line styles, the terminal for --live. */
  out: Output;
  clock: Clock;
  scheduler?: Scheduler;
  /** --live: raw key bytes, raw mode, signals, and where p and q go; the line display takes SIGWINCH too. */
  keys?: AsyncIterable<Uint8Array | string>;
  setRawMode?(on: boolean): void;
  onSignal?(signal: SignalName, handler: () => void): () => void;
  control?: ScanControl;
  /** Times dashboard frames (benchmarks). */
  stopwatch?: MonotonicClock;
  /** --live: the process's stderr, whose lines wait (and show in the Warnings panel) while the screen is up. */
  stderr?: Output;
  /** --live: lines prtip wrote to stderr before the screen came up, for the Warnings panel. */
  earlierStderr?: readonly string[];
  /** --live: port names for the SERVICE column. */
  portName?: PortNamer;
}

export type ProgressMode = "silent" | "line" | "plain" | "live";

export interface ProgressHandle {
  readonly mode: ProgressMode;
  /** Null when silent. */
  readonly tracker: ProgressTracker | null;
  /** The --live screen, when that is the mode. */
  readonly dashboard: Dashboard | null;
  /**
   * Print a result line (to `to`, default `io.out`) without breaking the
   * progress lines; under --live the lines are held and written on `close`.
   */
  printAbove(line: string, to?: Output): void;
  /** When the user is done with the dashboard (q); at once in the other modes. */
  readonly exited: Promise<void>;
  /** Final frame (line modes) or terminal restored (live); detaches from the bus. Idempotent. */
  close(): void;
}

export function progressMode(o: ProgressOptions): ProgressMode {
  if (o.quiet) return "silent";
  if (o.live && o.isTTY) return "live";
  if (o.progress === false) return "silent";
  return o.isTTY ? "line" : "plain";
}

/**
 * Subscribe the progress display chosen by the flags to a bus. Attach before
 * the first event is published: the tracker builds its picture from events only.
 */
export function attachProgress(bus: EventBus, options: ProgressOptions, io: ProgressIo): ProgressHandle {
  const mode = progressMode(options);
  if (mode === "silent") {
    return {
      mode,
      tracker: null,
      dashboard: null,
      printAbove: (line, to = io.out) => to.write(line.endsWith("\n") ? line : line + "\n"),
      exited: Promise.resolve(),
      close() {},
    };
  }
  const tracker = new ProgressTracker({ clock: io.clock, eta: options.eta, skipStages: options.skipStages });
  const scheduler = io.scheduler ?? timerScheduler;
  const colour = !options.noColor;

  if (mode === "live") {
    const dashboard = new Dashboard(
      tracker,
      { control: io.control, colour, serviceScan: options.serviceScan, portName: io.portName },
      { ...io, scheduler },
    );
    const listener = bus.on({}, (e) => {
      tracker.handle(e);
      dashboard.invalidate();
    }, "progress-live");
    // Nothing may write over the full screen (stdout and stderr are usually the
    // same terminal): result lines wait, in order, until the screen is gone.
    const held: [string, Output][] = [];
    let closed = false;
    const toPanel = (line: string) => {
      const message = stderrMessage(line);
      if (message !== "") tracker.warnings.add({ at: io.clock.now(), severity: "medium", code: "", message });
    };
    for (const line of io.earlierStderr ?? []) toPanel(line);
    let untap = () => {};
    const stderr = io.stderr;
    if (stderr !== undefined && stderr !== io.out) {
      untap = tapLines(
        stderr,
        (line) => {
          held.push([line, stderr]);
          // A warning also published as WarningIssued (the event log's) is in the panel once:
          // it is written first, then published in the same turn, so look after that.
          queueMicrotask(() => {
            const message = stderrMessage(line);
            if (!tracker.warnings.rows.slice(-8).some((w) => w.message === message)) toPanel(line);
            dashboard.invalidate();
          });
        },
        false,
      );
    }
    dashboard.start();
    return {
      mode,
      tracker,
      dashboard,
      printAbove: (line, to = io.out) => {
        const text = line.endsWith("\n") ? line : line + "\n";
        if (closed) to.write(text);
        else held.push([text, to]);
      },
      exited: dashboard.exited,
      close() {
        if (closed) return;
        closed = true;
        listener.close();
        dashboard.close();
        untap();
        for (const [text, to] of held) to.write(text);
        held.length = 0;
      },
    };
  }

  const style = options.style ?? "compact";
  const display = new StatusDisplay({
    out: io.out,
    clock: io.clock,
    scheduler,
    tty: mode === "line",
    frame: (room) => styleLines(style, tracker.snapshot(), colour, room),
    plain: () => (tracker.status === "waiting" ? null : plainLine(tracker.snapshot())),
  });
  const listener = bus.on({}, (e) => {
    tracker.handle(e);
    display.invalidate();
  }, "progress");
  display.start();
  // A resize redraws at once, fitted to the new width, clearing the old lines' re-wrapped rows.
  const offResize = mode === "line" ? io.onSignal?.("SIGWINCH", () => display.invalidate()) : undefined;
  let closed = false;
  return {
    mode,
    tracker,
    dashboard: null,
    printAbove: (line, to) => display.printAbove(line, to),
    exited: Promise.resolve(),
    close() {
      if (closed) return;
      closed = true;
      listener.close();
      offResize?.();
      // A finished scan's report says how long it took: the status goes. A
      // cancelled one keeps its last frame, which says where it stopped.
      display.close(tracker.status === "completed");
    },
  };
}

import type { Clock } from "../runtime/capabilities.ts";
import type { ScanControl } from "../scan/control.ts";

export interface GateHooks {
  /** Publish ScanPaused, for instance. */
  onPause?(): void;
  onResume?(pausedSeconds: number): void;
  onCancel?(reason: string): void;
}

/**
 * A ScanControl for anything that produces events in a loop (a log replay, a
 * test driver): the loop awaits `wait()` before each step, so pausing really
 * stops it; the hooks publish the lifecycle events.
 */
export class GateControl implements ScanControl {
  private pausedSince: number | null = null;
  private cancelReason: string | null = null;
  private release: (() => void) | null = null;
  private gate: Promise<void> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly hooks: GateHooks = {},
  ) {}

  get paused(): boolean {
    return this.pausedSince !== null;
  }

  get cancelled(): string | null {
    return this.cancelReason;
  }

  pause(): void {
    if (this.paused || this.cancelReason !== null) return;
    this.pausedSince = this.clock.now();
    this.gate = new Promise((r) => (this.release = r));
    this.hooks.onPause?.();
  }

  resume(): void {
    if (this.pausedSince === null) return;
    const seconds = (this.clock.now() - this.pausedSince) / 1000;
    this.open();
    this.hooks.onResume?.(seconds);
  }

  cancel(reason: string): void {
    if (this.cancelReason !== null) return;
    this.cancelReason = reason;
    this.open();
    this.hooks.onCancel?.(reason);
  }

  /** Resolves at once while running; while paused, on resume or cancel. */
  wait(): Promise<void> {
    return this.gate ?? Promise.resolve();
  }

  private open(): void {
    this.pausedSince = null;
    this.gate = null;
    const release = this.release;
    this.release = null;
    release?.();
  }
}

// What a user interface (the --live dashboard, signal handlers) may ask of a running scan.
export interface ScanControl {
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Stop sending, publish ScanCancelled, let subscribers flush. */
  cancel(reason: string): void;
}

// What core modules may ask of the runtime. They receive these as arguments;
// only src/runtime/ knows whether Bun or Deno provides them.

/** Wall clock in epoch milliseconds; tests pass a fake one. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A monotonic clock in milliseconds for rates and timeouts. */
export interface MonotonicClock {
  now(): number;
}

export const monotonicClock: MonotonicClock = { now: () => performance.now() };

/** A text or byte sink such as stdout; `isTTY` decides colour and redraws. */
export interface Output {
  write(chunk: string | Uint8Array): void;
  readonly isTTY: boolean;
  /** Terminal size, or 80x24 when not a terminal. */
  size(): { columns: number; rows: number };
  /**
   * Resolves once earlier writes have left the process's buffer (a slow pipe
   * reader holds them up). Bulk writers await it for backpressure and before
   * exiting, so nothing is lost or piled up in memory. Absent: writes are synchronous.
   */
  flush?(): Promise<void>;
}

export type SignalName = "SIGINT" | "SIGTERM" | "SIGWINCH";

/** Everything the CLI needs from the host runtime. Core modules get pieces of it as arguments. */
export interface Runtime {
  readonly name: "bun" | "deno";
  readonly version: string;
  /** User arguments, program name excluded. */
  args(): string[];
  env(name: string): string | undefined;
  readonly stdout: Output;
  readonly stderr: Output;
  stdin(): ReadableStream<Uint8Array>;
  stdinIsTTY(): boolean;
  /** Returns a function that removes the handler. */
  onSignal(signal: SignalName, handler: () => void): () => void;
  /** Terminal raw mode on stdin (the dashboard's keys); no-op when stdin is not a TTY. */
  setRawMode(on: boolean): void;
  /** Effective uid, or -1 where the platform has none. */
  euid(): number;
  /**
   * A full garbage collection now, where the runtime offers one: a long job
   * with natural pauses (one scan summarised, the next begun) calls it so the
   * next part reuses the memory the last one freed instead of growing past it.
   */
  collectGarbage?(): void;
  /**
   * Gzip for rotated event logs, where the runtime can run it off the scan's
   * cores' critical path (Bun: a low-priority thread). Absent: the log's own
   * default, the runtime's zlib pool.
   */
  gzip?(bytes: Uint8Array): Promise<Uint8Array>;
  exit(code: number): never;
}

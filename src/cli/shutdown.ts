import type { Runtime, SignalName } from "../runtime/index.ts";

export type TerminationSignal = Extract<SignalName, "SIGINT" | "SIGTERM">;

/** Shell convention: 128 + signal number. */
export const SIGNAL_EXIT_CODE: Record<TerminationSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * On SIGINT or SIGTERM: runs `stop` once (the scan publishes ScanCancelled, the
 * event log writes it and log_ended), then exits 130 or 143. A second signal
 * while stopping exits at once. Returns a function that removes the handlers.
 */
export function exitOnTerminationSignals(
  rt: Pick<Runtime, "onSignal" | "exit" | "stderr">,
  stop: (signal: TerminationSignal) => Promise<void>,
): () => void {
  let stopping: TerminationSignal | null = null;
  const handle = (signal: TerminationSignal) => () => {
    if (stopping !== null) {
      rt.exit(SIGNAL_EXIT_CODE[signal]);
      return;
    }
    stopping = signal;
    stop(signal).then(
      () => rt.exit(SIGNAL_EXIT_CODE[signal]),
      (err: unknown) => {
        rt.stderr.write(`prtip: while stopping after ${signal}: ${err instanceof Error ? err.message : String(err)}\n`);
        rt.exit(SIGNAL_EXIT_CODE[signal]);
      },
    );
  };
  const removers = (["SIGINT", "SIGTERM"] as const).map((s) => rt.onSignal(s, handle(s)));
  return () => removers.forEach((remove) => remove());
}

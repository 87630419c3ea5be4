import type { Output } from "../runtime/index.ts";

/**
 * Where progress is drawn. `--live` takes stdout: the dashboard fills the
 * terminal the results wait behind. With stdout redirected there is no
 * dashboard, and the status line goes to stderr as it does without `--live`,
 * so no status line lands among the results in the file or pipe.
 */
export function progressOutput(live: boolean, rt: { stdout: Output; stderr: Output }): { out: Output; live: boolean } {
  const dashboard = live && rt.stdout.isTTY;
  return { out: dashboard ? rt.stdout : rt.stderr, live: dashboard };
}

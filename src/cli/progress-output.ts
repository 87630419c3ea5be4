import { UsageError } from "../errors.ts";
import type { Output } from "../runtime/index.ts";

interface Terminals {
  stdout: Output;
  stderr: Output;
  env(name: string): string | undefined;
}

/**
 * A terminal that can't move the cursor: TERM=dumb (Emacs' shell, CI runners
 * with a pty, `script` logs), or no TERM at all. curl, apt and pip draw no
 * redraws there, and neither does prtip.
 */
export function dumbTerminal(env: (name: string) => string | undefined): boolean {
  let term: string;
  try {
    term = env("TERM") ?? "";
  } catch {
    // Deno run without TERM in --allow-env: it can't tell, so it draws as it always did.
    return false;
  }
  return term === "" || term === "dumb";
}

/** `--live` on a terminal that can't draw it: refused before anything starts (exit 2). */
export function checkLiveTerminal(live: boolean, rt: Terminals): void {
  if (!live || !rt.stdout.isTTY || !dumbTerminal((n) => rt.env(n))) return;
  const term = rt.env("TERM"); // readable: dumbTerminal read it
  const named = term === undefined || term === "" ? "no TERM" : `TERM=${JSON.stringify(term)}`;
  throw new UsageError(
    `--live needs a terminal that can move the cursor, and ${named} says this one can't; without --live the status is a plain line every 5 s`,
  );
}

/** The same terminal, told as no terminal: the status display writes plain lines and no escapes. */
function plainOn(out: Output): Output {
  return {
    write: (chunk) => out.write(chunk),
    isTTY: false,
    size: () => out.size(),
    flush: out.flush === undefined ? undefined : () => out.flush!(),
  };
}

/**
 * Where progress is drawn. `--live` takes stdout: the dashboard fills the
 * terminal the results wait behind. With stdout redirected there is no
 * dashboard, and the status line goes to stderr as it does without `--live`,
 * so no status line lands among the results in the file or pipe. A dumb
 * terminal gets the plain lines a pipe gets (checkLiveTerminal refused --live).
 */
export function progressOutput(live: boolean, rt: Terminals): { out: Output; live: boolean } {
  const dumb = dumbTerminal((n) => rt.env(n));
  const dashboard = live && rt.stdout.isTTY && !dumb;
  const out = dashboard ? rt.stdout : rt.stderr;
  return { out: dumb && out.isTTY ? plainOn(out) : out, live: dashboard };
}

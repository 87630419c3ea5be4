import { CliError, UsageError } from "../errors.ts";
import type { Runtime } from "../runtime/index.ts";
import { unknownOptionMessage } from "./cac-message.ts";
import { HELP, VERSION } from "./help.ts";
import { normaliseArgs } from "./nmap-args.ts";

/** Exit code for a thrown error: usage mistakes are 2, everything else 1. */
function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof UsageError) return 2;
  if (err instanceof Error && err.name === "CACError") return 2;
  return 1;
}

/** The one line the user reads; the argument parser's own wording is brought in line with ours. */
function messageOf(err: unknown): string {
  return unknownOptionMessage(err, "prtip --help") ?? (err instanceof Error ? err.message : String(err));
}

export function reportError(err: unknown, rt: Runtime, debug: boolean): number {
  rt.stderr.write(`prtip: ${messageOf(err)}\n`);
  if (debug && err instanceof Error && err.stack) rt.stderr.write(err.stack + "\n");
  return exitCodeOf(err);
}

/** The whole CLI: returns the exit code. Subcommands load lazily to keep start-up fast. */
export async function run(argv: string[], rt: Runtime): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    if (argv[0] === "log") {
      const { runLog } = await import("./log-command.ts");
      return await runLog(argv.slice(1), rt);
    }
    const { argv: normal, verbosity } = normaliseArgs(argv);
    if (normal.includes("--help") || argv.length === 0) {
      rt.stdout.write(HELP);
      return 0;
    }
    if (normal.includes("--version")) {
      rt.stdout.write(`prtip ${VERSION}\n`);
      return 0;
    }
    const { parseScanFlags } = await import("./scan-flags.ts");
    const flags = parseScanFlags(normal, verbosity);
    const { runScan } = await import("./scan-command.ts");
    return await runScan(flags, rt);
  } catch (err) {
    return reportError(err, rt, debug);
  }
}

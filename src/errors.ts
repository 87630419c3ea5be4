// One style for every message a user reads: what was wrong, the offending value
// quoted, why, and where (file:line) when there is a where.

/** `"70000-80"`: the value as the user typed it, quoted, cut to a readable length. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  const cut = text.length > 80 ? text.slice(0, 77) + "..." : text;
  return JSON.stringify(cut);
}

/** `invalid port range "70000-80": ports are 1-65535` (+ ` at FILE:LINE`). */
export function invalidMessage(what: string, value: unknown, why: string, where?: string): string {
  return `invalid ${what} ${quote(value)}: ${why}` + (where ? ` at ${where}` : "");
}

/** A bad argument, config value or target: the CLI maps it to exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function invalid(what: string, value: unknown, why: string, where?: string): UsageError {
  return new UsageError(invalidMessage(what, value, why, where));
}

/** The same error with where it was found (` at FILE:LINE`), as invalidMessage places it. */
export function locate(err: UsageError, where: string): UsageError {
  return new UsageError(`${err.message} at ${where}`, { cause: err });
}

/** Raised at the command boundary: the message is printed as is, then exit with `code`. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

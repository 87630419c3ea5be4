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

/** strerror(3)'s words for the codes a file operation meets, as nmap and coreutils print them. */
const SYSTEM_ERROR_WORDS: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  EEXIST: "File exists",
  ENOSPC: "No space left on device",
  EDQUOT: "Disk quota exceeded",
  EROFS: "Read-only file system",
  EIO: "Input/output error",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  EMFILE: "Too many open files",
  ENFILE: "Too many open files in system",
  EFBIG: "File too large",
  EBUSY: "Device or resource busy",
  ETXTBSY: "Text file busy",
  EINVAL: "Invalid argument",
  ENXIO: "No such device or address",
};

// Failures of the machine, not of the path given: a file that cannot be opened for one of
// these is a runtime failure (exit 1); any other refusal is of the path itself (exit 2).
const MACHINE_FAILURES = new Set(["ENOSPC", "EDQUOT", "EIO", "EMFILE", "ENFILE", "ENOMEM"]);

/**
 * The exit code for an output file or event log that cannot be opened: 2 (a usage error,
 * as a bad flag value is) for a path that names a folder, a missing folder, a file that is
 * not a prtip log, a read-only or forbidden place; 1 for a full disk or an I/O error.
 */
export function refusedPathExitCode(errOrCode: unknown): 1 | 2 {
  const code = typeof errOrCode === "string" ? errOrCode : (errOrCode as { code?: unknown } | null)?.code;
  return typeof code === "string" && MACHINE_FAILURES.has(code) ? 1 : 2;
}

/**
 * "No such file or directory" for a failed file operation (its error, or its code
 * such as "ENOENT"), where messages used to print the bare code; an unlisted code
 * is printed as it is.
 */
export function systemErrorText(errOrCode: unknown): string {
  const code = typeof errOrCode === "string" ? errOrCode : (errOrCode as { code?: unknown } | null)?.code;
  if (typeof code === "string") return SYSTEM_ERROR_WORDS[code] ?? code;
  return errOrCode instanceof Error ? errOrCode.message : String(errOrCode);
}

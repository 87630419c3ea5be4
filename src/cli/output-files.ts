import { accessSync, closeSync, constants, openSync, realpathSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { CliError, invalid, refusedPathExitCode, systemErrorText } from "../errors.ts";
import type { TextSink } from "../output/index.ts";

// The -oN/-oG/-oX/-oJ files: checked first without touching them, opened
// (truncated) only once every other check of the command line has passed.

export interface FileSink extends TextSink {
  readonly path: string;
  /** The first failed write's code (ENOSPC, EIO, …): the file is incomplete. */
  readonly failed: string | null;
  close(): void;
}

/** A path the file cannot be opened at: exit 2 (refusedPathExitCode), before anything is touched. */
const cannotWrite = (path: string, code: string) =>
  new CliError(`cannot write output file ${JSON.stringify(path)}: ${systemErrorText(code)}`, refusedPathExitCode(code));
const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/**
 * Throws when `path` could not be opened for writing, and leaves it as it is:
 * a scan refused for another reason (a bad --event-log) must not have emptied
 * an existing report or created an empty one.
 */
export function checkOutputFile(path: string): void {
  try {
    if (statSync(path).isDirectory()) throw cannotWrite(path, "EISDIR");
    accessSync(path, constants.W_OK);
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (codeOf(err) !== "ENOENT") throw cannotWrite(path, codeOf(err));
    // Not there yet: its folder must exist and take a new file.
    try {
      accessSync(dirname(path), constants.W_OK);
    } catch (dirErr) {
      throw cannotWrite(path, codeOf(dirErr));
    }
  }
}

/** The file a path names, symlinks and `..` resolved as far as they exist. */
function sameFileKey(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/**
 * Refuses two outputs (-oN/-oG/-oX/-oJ, -oA's three, --event-log) on one file,
 * before any is opened: each writer truncates it and they interleave. stdout
 * ("-") is checked apart; /dev/null may take any number of them.
 */
export function checkDistinctOutputs(outputs: readonly { flag: string; path: string | undefined }[]): void {
  const seen = new Map<string, string>();
  for (const { flag, path } of outputs) {
    if (path === undefined || path === "-") continue;
    const key = sameFileKey(path);
    if (key === "/dev/null") continue;
    const first = seen.get(key);
    if (first !== undefined) throw invalid("output file", path, `given to both ${first} and ${flag}; each output needs a file of its own`);
    seen.set(key, flag);
  }
}

/** Opened before the scan starts, so a bad path stops everything before a packet goes out. */
export function fileSink(path: string): FileSink {
  let fd: number;
  try {
    fd = openSync(path, "w", 0o644);
  } catch (err) {
    throw cannotWrite(path, codeOf(err));
  }
  // The writers run as bus listeners, whose exceptions the bus only counts: a full disk
  // has to be remembered here, or the scan ends with exit 0 and an incomplete file.
  let failed: string | null = null;
  return {
    path,
    get failed() {
      return failed;
    },
    write: (text) => {
      if (failed !== null) return;
      try {
        writeSync(fd, text);
      } catch (err) {
        failed = codeOf(err);
      }
    },
    close: () => closeSync(fd),
  };
}

/**
 * One format's text for every path named for it ("-" is `stdout`), the files opened
 * into `opened` so the caller closes and checks them. Two paths get the same text
 * (-oA base -oN other.nmap writes base.nmap and other.nmap, as nmap does).
 */
export function sinkForPaths(paths: readonly string[], stdout: TextSink, opened: FileSink[]): TextSink | undefined {
  const sinks = paths.map((path) => {
    if (path === "-") return stdout;
    const f = fileSink(path);
    opened.push(f);
    return f;
  });
  if (sinks.length <= 1) return sinks[0];
  return {
    write: (text) => {
      for (const s of sinks) s.write(text);
    },
  };
}

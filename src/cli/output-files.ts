import { accessSync, closeSync, constants, openSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { CliError } from "../errors.ts";
import type { TextSink } from "../output/index.ts";

// The -oN/-oG/-oX/-oJ files: checked first without touching them, opened
// (truncated) only once every other check of the command line has passed.

export interface FileSink extends TextSink {
  readonly path: string;
  /** The first failed write's code (ENOSPC, EIO, …): the file is incomplete. */
  readonly failed: string | null;
  close(): void;
}

const cannotWrite = (path: string, code: string) => new CliError(`cannot write output file ${JSON.stringify(path)}: ${code}`, 1);
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

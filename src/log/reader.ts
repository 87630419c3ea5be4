import { splitLines } from "./reader-lines.ts";
import type { LineBatch } from "./reader-lines.ts";
import { expandPaths, orderRotated, readHead, withoutCopies } from "./reader-order.ts";
import { decodedChunks, fileSource, streamSource } from "./reader-source.ts";
import type { ByteSource, IssueSink } from "./reader-source.ts";

export type { LineBatch } from "./reader-lines.ts";
export type { ByteSource, IssueSink, ReadIssue } from "./reader-source.ts";
export { fileSource, streamSource } from "./reader-source.ts";
export { MAX_LINE } from "./reader-lines.ts";

export interface OpenOptions {
  /** What "-" reads; the CLI passes the runtime's stdin. */
  stdin?: () => AsyncIterable<Uint8Array>;
}

/**
 * The sources named on a command line, in reading order: "-" is stdin, a folder
 * is the log files in it, and several files that form a rotated set are put in
 * `log_started`/`continues` order. A file holding the same log as another (see
 * withoutCopies) is left unread, and reported as such when reading starts.
 * Throws (from the file system) when a path is missing.
 */
export async function openLogSources(paths: readonly string[], options: OpenOptions = {}): Promise<ByteSource[]> {
  const files = paths.filter((p) => p !== "-");
  const expanded = await expandPaths(files);
  let sources: ByteSource[];
  if (expanded.length > 1) {
    const { kept, copies } = withoutCopies(await Promise.all(expanded.map(readHead)));
    sources = [
      ...copies.map((c) => skippedSource(c.path, `same log as ${c.keptAs} (same first lines); read once, from ${c.keptAs}`)),
      ...orderRotated(kept).map((path) => fileSource(path)),
    ];
  } else sources = expanded.map((path) => fileSource(path));
  if (paths.includes("-")) {
    const stdin = options.stdin;
    if (stdin === undefined) throw new TypeError('no stdin given for "-"');
    sources.unshift(streamSource("-", stdin()));
  }
  return sources;
}

function skippedSource(name: string, why: string): ByteSource {
  return { name, skipped: why, chunks: async function* () {} };
}

/**
 * Every complete line of every source, in order, in batches: constant memory,
 * whatever the input size. Problems (torn last line, damaged gzip, unreadable
 * file) go to `onIssue` and reading goes on with the next source. A file with
 * no line at all (zero bytes, blank lines) is not an event log: reported as
 * such, since nothing else would say it was skipped. Stdin may be empty: an
 * upstream command that selected nothing is not an error.
 */
export async function* readLines(
  sources: readonly ByteSource[],
  onIssue: IssueSink,
  signal?: AbortSignal,
): AsyncGenerator<LineBatch> {
  // An exception thrown by onIssue (a --strict stop) must end reading, not be
  // mistaken for an unreadable file.
  let thrown: unknown = undefined;
  let issues = 0;
  const guarded: IssueSink = (issue) => {
    issues++;
    try {
      onIssue(issue);
    } catch (err) {
      thrown = err;
      throw err;
    }
  };
  for (const source of sources) {
    const name = source.name;
    if (source.skipped !== undefined) {
      guarded({ kind: "duplicate", source: name, message: `${name}: ${source.skipped}` });
      continue;
    }
    let hasLine = false;
    const issuesBefore = issues;
    try {
      for await (const batch of splitLines(name, decodedChunks(source, guarded), guarded)) {
        if (signal?.aborted) return;
        if (!hasLine) hasLine = anyNonBlank(batch);
        yield batch;
      }
    } catch (err) {
      if (err === thrown) throw err;
      guarded({ kind: "unreadable", source: name, message: `${name}: ${(err as Error).message}` });
    }
    // A torn line or damaged gzip already said what is wrong with it.
    if (!hasLine && name !== "-" && issues === issuesBefore) {
      guarded({ kind: "not-a-log", source: name, message: `${name}: empty, not an event log` });
    }
  }
}

function anyNonBlank(batch: LineBatch): boolean {
  for (let i = 0; i < batch.count; i++) if (batch.bounds[2 * i + 1]! > batch.bounds[2 * i]!) return true;
  return false;
}

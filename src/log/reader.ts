import { splitLines } from "./reader-lines.ts";
import type { LineBatch } from "./reader-lines.ts";
import { expandPaths, orderRotated, readHead } from "./reader-order.ts";
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
 * `log_started`/`continues` order. Throws (from the file system) when a path is missing.
 */
export async function openLogSources(paths: readonly string[], options: OpenOptions = {}): Promise<ByteSource[]> {
  const files = paths.filter((p) => p !== "-");
  const expanded = await expandPaths(files);
  const inOrder = expanded.length > 1 ? orderRotated(await Promise.all(expanded.map(readHead))) : expanded;
  const sources = inOrder.map((path) => fileSource(path));
  if (paths.includes("-")) {
    const stdin = options.stdin;
    if (stdin === undefined) throw new TypeError('no stdin given for "-"');
    sources.unshift(streamSource("-", stdin()));
  }
  return sources;
}

/**
 * Every complete line of every source, in order, in batches: constant memory,
 * whatever the input size. Problems (torn last line, damaged gzip, unreadable
 * file) go to `onIssue` and reading goes on with the next source.
 */
export async function* readLines(
  sources: readonly ByteSource[],
  onIssue: IssueSink,
  signal?: AbortSignal,
): AsyncGenerator<LineBatch> {
  // An exception thrown by onIssue (a --strict stop) must end reading, not be
  // mistaken for an unreadable file.
  let thrown: unknown = undefined;
  const guarded: IssueSink = (issue) => {
    try {
      onIssue(issue);
    } catch (err) {
      thrown = err;
      throw err;
    }
  };
  for (const source of sources) {
    try {
      for await (const batch of splitLines(source.name, decodedChunks(source, guarded), guarded)) {
        if (signal?.aborted) return;
        yield batch;
      }
    } catch (err) {
      if (err === thrown) throw err;
      guarded({ kind: "unreadable", source: source.name, message: `${source.name}: ${(err as Error).message}` });
    }
  }
}

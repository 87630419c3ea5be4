import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { splitLines } from "./reader-lines.ts";
import { decodedChunks, fileSource } from "./reader-source.ts";

/** The framing facts of a log file that decide its place in a rotated set. */
export interface FileHead {
  readonly path: string;
  /** Epoch ms of its `log_started` line, NaN when it has none. */
  readonly started: number;
  /** The file its `log_started` says it continues, if any. */
  readonly continues: string | null;
}

const LOG_NAME = /\.(jsonl|ndjson|log|json)(\.gz)?$|\.gz$/;

/**
 * Paths as given, with each folder replaced by the log files in it and in its
 * subfolders (a pattern like `logs/%Y/%m/scan-%d.jsonl` spreads one set over
 * dated folders). Throws when a path is missing.
 */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) await logFilesIn(path, out);
    else out.push(path);
  }
  return out;
}

async function logFilesIn(dir: string, out: string[]): Promise<void> {
  for (const name of (await readdir(dir)).sort()) {
    const full = join(dir, name);
    const info = await stat(full).catch((err: NodeJS.ErrnoException) => {
      // Gone since the listing (a live logger gzipped or pruned it) or a dangling symlink: not a log to read.
      if (err.code === "ENOENT") return null;
      throw err;
    });
    if (info === null) continue;
    if (info.isDirectory()) await logFilesIn(full, out);
    else if (info.isFile() && LOG_NAME.test(name)) out.push(full);
  }
}

/** Reads only the first line of a file (inflating just enough of a .gz). */
export async function readHead(path: string): Promise<FileHead> {
  const ignore = () => {};
  for await (const batch of splitLines(path, decodedChunks(fileSource(path), ignore), ignore)) {
    const text = new TextDecoder().decode(batch.buf.subarray(batch.bounds[0], batch.bounds[1]));
    try {
      const head = JSON.parse(text) as Record<string, unknown>;
      if (head.event !== "log_started") break;
      const started = typeof head.timestamp === "string" ? Date.parse(head.timestamp) : Number.NaN;
      const continues = typeof head.continues === "string" ? head.continues : null;
      return { path, started, continues };
    } catch {
      break;
    }
  }
  return { path, started: Number.NaN, continues: null };
}

/**
 * A rotated set in reading order: each file right after the one its
 * `log_started` continues; chains ordered by their first file's start time;
 * files without framing keep the order they were given in.
 */
export function orderRotated(heads: readonly FileHead[]): string[] {
  const byName = new Map<string, FileHead>();
  for (const h of heads) byName.set(basename(h.path), h);
  const successors = new Map<string, FileHead[]>();
  const roots: FileHead[] = [];
  for (const h of heads) {
    const prev = h.continues === null ? undefined : byName.get(basename(h.continues));
    if (prev === undefined || prev === h) roots.push(h);
    else {
      const list = successors.get(prev.path) ?? [];
      list.push(h);
      successors.set(prev.path, list);
    }
  }
  const index = new Map(heads.map((h, i) => [h.path, i]));
  const byStart = (a: FileHead, b: FileHead) => {
    if (!Number.isNaN(a.started) && !Number.isNaN(b.started) && a.started !== b.started) return a.started - b.started;
    return index.get(a.path)! - index.get(b.path)!;
  };
  roots.sort(byStart);
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (h: FileHead) => {
    if (seen.has(h.path)) return;
    seen.add(h.path);
    out.push(h.path);
    for (const next of (successors.get(h.path) ?? []).sort(byStart)) visit(next);
  };
  for (const r of roots) visit(r);
  // A cycle of `continues` has no root; keep those files rather than lose them.
  for (const h of heads) visit(h);
  return out;
}

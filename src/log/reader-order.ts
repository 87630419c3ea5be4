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
  /**
   * Its `log_started` line and the line after it, as written: two files with the
   * same identity hold the same log (a segment left both plain and gzipped).
   */
  readonly identity: string | null;
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
  const decoder = new TextDecoder();
  const lineOf = (buf: Uint8Array, bounds: Int32Array, i: number) => decoder.decode(buf.subarray(bounds[2 * i], bounds[2 * i + 1]));
  for await (const batch of splitLines(path, decodedChunks(fileSource(path), ignore), ignore)) {
    const text = lineOf(batch.buf, batch.bounds, 0);
    try {
      const head = JSON.parse(text) as Record<string, unknown>;
      if (head.event !== "log_started") break;
      const started = typeof head.timestamp === "string" ? Date.parse(head.timestamp) : Number.NaN;
      const continues = typeof head.continues === "string" ? head.continues : null;
      // The first event's line too (its scan_id, seq and time): two logs started in the same millisecond are not one.
      const identity = batch.count > 1 ? `${text}\n${lineOf(batch.buf, batch.bounds, 1)}` : text;
      return { path, started, continues, identity };
    } catch {
      break;
    }
  }
  return { path, started: Number.NaN, continues: null, identity: null };
}

/** A file whose log another file of the same command line holds too: read once, from `keptAs`. */
export interface Copy {
  readonly path: string;
  readonly keptAs: string;
}

/**
 * The files that hold a log of their own, and the copies left out: when two
 * files start with the same lines (X.jsonl beside X.jsonl.gz after a crash
 * between compress's rename and unlink, or a `gzip -k`), the plain one is read.
 * The .gz was made from it, so the plain file holds at least as much (more when
 * the .gz is damaged, or was made while the file still grew), and costs no inflate.
 */
export function withoutCopies(heads: readonly FileHead[]): { kept: FileHead[]; copies: Copy[] } {
  const byIdentity = new Map<string, FileHead>();
  const copies: Copy[] = [];
  const gz = (h: FileHead) => h.path.endsWith(".gz");
  for (const h of heads) {
    if (h.identity === null) continue;
    const other = byIdentity.get(h.identity);
    if (other === undefined) byIdentity.set(h.identity, h);
    else if (gz(other) && !gz(h)) {
      byIdentity.set(h.identity, h);
      copies.push({ path: other.path, keptAs: h.path });
    } else copies.push({ path: h.path, keptAs: other.path });
  }
  const dropped = new Set(copies.map((c) => c.path));
  return { kept: heads.filter((h) => !dropped.has(h.path)), copies };
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

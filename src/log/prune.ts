import { join } from "node:path";
import type { LogFs } from "./log-fs.ts";
import { logFolders, mergeKeys } from "./log-folders.ts";
import { compareKeys, nameMatcher } from "./path-pattern.ts";

interface LogEntry {
  path: string;
  key: number[];
  hasPlain: boolean;
  hasGz: boolean;
}

/**
 * Keeps the newest `keep` logs of `pattern` (plain and `.gz` of one name count
 * once), across every folder the pattern writes to (`logs/%Y/%m/…`), and
 * deletes older ones. `active` is never deleted. Also finishes what a crash
 * during compression left: a `.gz.tmp` is removed, and a plain file beside its
 * complete `.gz` is removed. Returns the paths deleted.
 */
export async function pruneLogs(
  fs: LogFs,
  pattern: string,
  active: string,
  keep: number | null,
  busy: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const match = nameMatcher(pattern);
  const removed: string[] = [];
  const remove = async (path: string) => {
    await fs.unlink(path);
    removed.push(path);
  };
  const logs = new Map<string, LogEntry>();
  for (const folder of await logFolders(fs, pattern)) {
    let names: string[];
    try {
      names = await fs.list(folder.dir);
    } catch {
      continue;
    }
    const present = new Set(names);
    const here: LogEntry[] = [];
    for (const name of names) {
      const path = join(folder.dir, name);
      if (name.endsWith(".gz.tmp") && match(name.slice(0, -4)) !== null && !busy.has(path.slice(0, -7))) {
        await remove(path);
        continue;
      }
      const m = match(name);
      if (m === null) continue;
      const plainPath = join(folder.dir, m.plain);
      let entry = logs.get(plainPath);
      if (entry === undefined) {
        entry = { path: plainPath, key: mergeKeys(folder.key, m.key), hasPlain: false, hasGz: false };
        logs.set(plainPath, entry);
        here.push(entry);
      }
      if (m.gz) entry.hasGz = true;
      else entry.hasPlain = true;
    }
    for (const entry of here) {
      const plainName = entry.path.slice(folder.dir.length + 1);
      if (entry.hasPlain && entry.hasGz && entry.path !== active && !busy.has(entry.path) && present.has(plainName + ".gz")) {
        await remove(entry.path);
        entry.hasPlain = false;
      }
    }
  }
  if (keep === null) return removed;
  const ordered = [...logs.values()].sort((a, b) => compareKeys(b.key, a.key));
  // The active file counts among the kept even before its first line reaches the disk.
  let kept = logs.has(active) ? 0 : 1;
  for (const entry of ordered) {
    if (entry.path === active || busy.has(entry.path) || kept < keep) {
      kept++;
      continue;
    }
    if (entry.hasPlain) await remove(entry.path);
    if (entry.hasGz) await remove(entry.path + ".gz");
  }
  return removed;
}

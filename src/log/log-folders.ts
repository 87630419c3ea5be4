import { dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import type { LogFs } from "./log-fs.ts";
import { folderMatcher, formatPattern, hasTimeCodes } from "./path-pattern.ts";

export interface LogFolder {
  dir: string;
  /** Sort key from the folder names' time codes (all zero when they have none). */
  key: number[];
}

/**
 * Every folder a path pattern writes to: its folder when that has no time code,
 * else each existing folder whose names match the coded parts
 * (`logs/%Y/%m/scan-%d.jsonl` → `logs/2026/11`, `logs/2026/12`, …).
 */
export async function logFolders(fs: LogFs, pattern: string): Promise<LogFolder[]> {
  const dir = dirname(pattern);
  if (!hasTimeCodes(dir)) return [{ dir, key: [0, 0, 0, 0, 0, 0, 0] }];
  const parts = dir.split(sep);
  const firstCoded = parts.findIndex((p) => hasTimeCodes(p));
  const root = parts.slice(0, firstCoded).join(sep) || (dir.startsWith(sep) ? sep : ".");
  let level: LogFolder[] = [{ dir: root, key: [0, 0, 0, 0, 0, 0, 0] }];
  for (const part of parts.slice(firstCoded)) {
    const match = folderMatcher(part);
    const next: LogFolder[] = [];
    for (const folder of level) {
      let names: string[];
      try {
        names = await fs.list(folder.dir);
      } catch {
        continue; // gone, or not a folder: nothing of ours below it
      }
      for (const name of names) {
        const key = match(name);
        if (key !== null) next.push({ dir: join(folder.dir, name), key: mergeKeys(folder.key, key) });
      }
    }
    level = next;
  }
  return level;
}

/** Codes named in either key: a later folder or the file name fills what earlier parts left at 0. */
export function mergeKeys(a: readonly number[], b: readonly number[]): number[] {
  return a.map((v, i) => (b[i] ? b[i]! : v));
}

/**
 * The first folder of a log path that is missing and that prtip will not create,
 * or null. Folders are created (0700) where the path asks for them: its
 * time-coded parts (logs/%Y/%m, new each period), anything inside the current
 * folder or the home folder (`roots`; a root of / counts for nothing), and the
 * log's own folder when its parent exists and is not the filesystem root
 * (/var/log/prtip under /var/log). Deeper than that, or at the root, it is more
 * likely a typo than a wish: `--event-log /nonexistent/x.jsonl` made
 * /nonexistent at the filesystem root as root, where -oN to the same place is refused.
 */
export async function uncreatableFolder(
  fs: Pick<LogFs, "exists">,
  pattern: string,
  roots: { cwd: string; home?: string | undefined },
): Promise<string | null> {
  const parts = dirname(pattern).split(sep);
  const firstCoded = parts.findIndex((p) => hasTimeCodes(p));
  const plain = firstCoded < 0 ? parts : parts.slice(0, firstCoded);
  // No time codes in it; formatting only turns %% into %.
  const fixed = normalize(formatPattern(plain.join(sep), 0) || (pattern.startsWith(sep) ? sep : "."));
  const full = resolve(roots.cwd, fixed);
  for (const root of [roots.cwd, roots.home]) {
    if (root === undefined || !isAbsolute(root)) continue;
    const r = resolve(root);
    if (r !== sep && (full === r || full.startsWith(r + sep))) return null;
  }
  if (await fs.exists(full)) return null;
  const parent = dirname(full);
  if (parent !== full && parent !== sep && (await fs.exists(parent))) return null;
  // Named as the user wrote it: the outermost folder on the way that is missing.
  let missing = fixed;
  for (let up = dirname(missing); up !== missing && !(await fs.exists(resolve(roots.cwd, up))); up = dirname(up)) missing = up;
  return missing;
}

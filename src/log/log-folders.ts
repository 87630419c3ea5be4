import { dirname, join, sep } from "node:path";
import type { LogFs } from "./log-fs.ts";
import { folderMatcher, hasTimeCodes } from "./path-pattern.ts";

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

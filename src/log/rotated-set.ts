import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { compareKeys, nameMatcher, rotationPattern } from "./path-pattern.ts";

/**
 * The files a logger given `path` writes, in the names the logger uses
 * (log-names.ts): `NAME.N.EXT[.gz]` (size rotation numbers the live file up,
 * so NAME itself is gone once pruned), `NAME-YYYY-MM-DD[-HH][.N].EXT[.gz]` (time
 * rotation with the default suffixes never writes NAME at all), and a
 * time-coded NAME's own dates (`scan-%Y-%m-%d.jsonl`). Oldest first; empty when
 * none is there. Only `path`'s own folder is looked in.
 */
export async function rotatedSet(path: string): Promise<string[]> {
  const dir = dirname(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const matchers = [path, rotationPattern(path, "daily"), rotationPattern(path, "hourly")].map((p) => nameMatcher(basename(p)));
  const found: { name: string; key: number[]; gz: boolean }[] = [];
  for (const name of names) {
    for (const match of matchers) {
      const m = match(name);
      if (m === null) continue;
      found.push({ name, key: m.key, gz: m.gz });
      break;
    }
  }
  // A .gz beside its plain file is a crash's leftover of one member: the plain file sorts first, the reader names both.
  found.sort((a, b) => compareKeys(a.key, b.key) || Number(a.gz) - Number(b.gz));
  return found.map((f) => join(dir, f.name));
}

/** Whether anything is at `path` (a file, a folder). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `paths` with each name that does not exist but whose rotated set does
 * replaced by the set's files, so `log summary scans.jsonl` reads what a
 * scan given `--event-log scans.jsonl` wrote after rotation. Other names
 * (present, `-`, or with nothing of their set around) stay as given.
 */
export async function withRotatedSets(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const set = p === "-" || (await exists(p)) ? [] : await rotatedSet(p);
    if (set.length === 0) out.push(p);
    else out.push(...set);
  }
  return out;
}

import { basename, dirname, join } from "node:path";
import type { LogFs } from "./log-fs.ts";
import { compareKeys, nameMatcher } from "./path-pattern.ts";
import type { LogName } from "./path-pattern.ts";

/**
 * Keeps the newest `keep` logs of `pattern` in the folder of `active` (plain and
 * `.gz` of one name count once) and deletes older ones. `active` is never
 * deleted. Also finishes what a crash during compression left: a `.gz.tmp` is
 * removed, and a plain file beside its complete `.gz` is removed.
 * Returns the paths deleted.
 */
export async function pruneLogs(
  fs: LogFs,
  pattern: string,
  active: string,
  keep: number | null,
  busy: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const dir = dirname(active);
  const match = nameMatcher(pattern);
  const names = await fs.list(dir);
  const present = new Set(names);
  const removed: string[] = [];
  const remove = async (name: string) => {
    await fs.unlink(join(dir, name));
    removed.push(join(dir, name));
  };
  const logs = new Map<string, LogName & { hasPlain: boolean; hasGz: boolean }>();
  for (const name of names) {
    if (name.endsWith(".gz.tmp") && match(name.slice(0, -4)) !== null && !busy.has(join(dir, name.slice(0, -7)))) {
      await remove(name);
      continue;
    }
    const m = match(name);
    if (m === null) continue;
    const entry = logs.get(m.plain) ?? { ...m, hasPlain: false, hasGz: false };
    if (m.gz) entry.hasGz = true;
    else entry.hasPlain = true;
    logs.set(m.plain, entry);
  }
  for (const [plain, entry] of logs) {
    const path = join(dir, plain);
    if (entry.hasPlain && entry.hasGz && path !== active && !busy.has(path) && present.has(plain + ".gz")) {
      await remove(plain);
      entry.hasPlain = false;
    }
  }
  if (keep === null) return removed;
  const ordered = [...logs.values()].sort((a, b) => compareKeys(b.key, a.key));
  let kept = 0;
  for (const entry of ordered) {
    const path = join(dir, entry.plain);
    if (path === active || busy.has(path) || kept < keep - (logs.has(basename(active)) ? 0 : 1)) {
      kept++;
      continue;
    }
    if (entry.hasPlain) await remove(entry.plain);
    if (entry.hasGz) await remove(entry.plain + ".gz");
  }
  return removed;
}

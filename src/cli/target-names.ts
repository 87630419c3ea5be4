import { UsageError } from "../errors.ts";
import { type Family, type Resolver, type TargetPlan, resolveTargets, settleNames } from "../scan/index.ts";

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`; past five, `… and 7 more`. */
function nameList(names: readonly string[]): string {
  const quoted = names.slice(0, 5).map((n) => JSON.stringify(n));
  if (names.length > 5) quoted.push(`${names.length - 5} more`);
  return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
}

/**
 * Whether the excludes (already addresses: settleExcludes runs first) cover every
 * target: nmap then scans nothing and exits 0 with an empty report, as prtip did.
 * Only addresses are left in `plan`, so this looks nothing up.
 */
async function allExcluded(plan: TargetPlan, family: Family): Promise<boolean> {
  if (plan.exclude.length === 0 || plan.exclude.some((x) => x.kind === "name") || plan.include.some((x) => x.kind === "name")) return false;
  const noLookups: Resolver = async (name) => {
    throw new Error(`unexpected lookup of ${name}`);
  };
  const set = await resolveTargets({ ...plan, skipped: [], unresolved: [] }, { resolver: noLookups, family, onUnresolved: () => {} });
  return set.size === 0;
}

/**
 * The targets' names resolved before any output file or event log is opened. When none
 * is left to scan (every name failed to resolve, -6 skipped every IPv4 target), the
 * scan is refused (exit 2) naming them: nmap 7.93 warns, scans nothing and exits 0,
 * having rewritten its -oN file with an empty report. When some are left, each
 * unresolved name stays a warning, printed as the scan's first stage runs.
 */
export async function settleTargetNames(plan: TargetPlan, resolver: Resolver, family: Family): Promise<TargetPlan> {
  const settled = await settleNames(plan, resolver, family);
  if (settled.include.length > 0) {
    if (!(await allExcluded(settled, family))) return settled;
    throw new UsageError("no targets to scan: --exclude/--excludefile leave none of them");
  }
  const unresolved = settled.unresolved ?? [];
  if (unresolved.length === 0 && settled.skipped.length === 0) return settled;
  // One clause per reason, the names sharing it together.
  const byWhy = new Map<string, string[]>();
  for (const { name, why } of unresolved) byWhy.set(why, [...(byWhy.get(why) ?? []), name]);
  const clauses = [...byWhy].map(([why, names]) => `${nameList(names)} did not resolve (${why})`);
  if (settled.skipped.length > 0) clauses.push(`${nameList(settled.skipped)} ${settled.skipped.length === 1 ? "is" : "are"} IPv4, and -6 scans IPv6 addresses only (scan without -6)`);
  throw new UsageError(`no targets to scan: ${clauses.join("; ")}`);
}

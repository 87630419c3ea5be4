import { invalid } from "../errors.ts";
import { type Family, formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "./address.ts";
import { TargetSet } from "./target-set.ts";
import { type Block, type TargetItem, cidrBlock, parseTargets } from "./target-spec.ts";

/** Forward name resolution, injected (node:dns in the CLI, a table in tests). */
export type Resolver = (name: string, family: Family) => Promise<string[]>;

/** Targets and excludes checked for syntax; names resolve later, in the scan's first stage. */
export interface TargetPlan {
  include: TargetItem[];
  exclude: TargetItem[];
  /** Targets as typed that -6 leaves out, being IPv4: nmap warns about each and scans the rest. */
  skipped: string[];
  /** Targets before resolution, each name counting as one address; exact once settleNames ran. */
  estimatedCount: bigint;
  /** Names found not to resolve ahead of the scan (settleNames), with why: warned about as the scan resolves. */
  unresolved?: { name: string; why: string }[];
}

/** More than this many addresses needs --confirm-large-scan. */
export const LARGE_SCAN = 2n ** 24n;
/** Above this the (host, port) space no longer fits the permutation's integers. */
export const MAX_TARGETS = 2n ** 32n;

/**
 * Targets and excludes parsed (syntax errors name the value). With `family` 6 (-6) an IPv4
 * target is skipped, as nmap 7.93 skips it ("resolves, but not to any IPv6 address"); without
 * -6 IPv6 targets are kept (nmap refuses them there; prtip scans both families in one run).
 */
export function planTargets(include: readonly string[], exclude: readonly string[], family: Family = 4): TargetPlan {
  const bits = family === 4 ? 32 : 128;
  const parse = (spec: string): TargetItem[] => {
    const items = parseTargets(spec);
    for (const t of items) {
      if (t.kind === "name" && t.prefix !== undefined && t.prefix > bits) {
        throw invalid("target", spec.trim(), "IPv4 prefixes are 0-32 (0-128 with -6)");
      }
    }
    return items;
  };
  const skipped: string[] = [];
  const inc = include.flatMap((spec) => {
    const items = parse(spec);
    const v4 = items.some((t) => t.kind === "block" && t.block.family === 4);
    if (family === 6 && v4) skipped.push(spec.trim());
    return family === 6 && v4 ? [] : items;
  });
  const exc = exclude.flatMap(parse);
  const blocks = inc.flatMap((t) => (t.kind === "block" ? [t.block] : []));
  const cut = exc.flatMap((t) => (t.kind === "block" ? [t.block] : []));
  // A name is one address, or the block its prefix gives around it.
  const names = inc.reduce((n, t) => (t.kind === "name" ? n + 2n ** BigInt(t.prefix === undefined ? 0 : bits - t.prefix) : n), 0n);
  const estimatedCount = new TargetSet(blocks, cut).bigSize + names;
  return { include: inc, exclude: exc, skipped, estimatedCount };
}

/** Refuses scans too big to run, and big ones the user has not confirmed. */
export function checkScanSize(plan: TargetPlan, confirmed: boolean): void {
  const n = plan.estimatedCount;
  if (n > MAX_TARGETS) throw invalid("target count", n.toString(), `at most ${MAX_TARGETS} addresses per scan`);
  if (n > LARGE_SCAN && !confirmed) {
    throw invalid("target count", n.toString(), `more than ${LARGE_SCAN} addresses needs --confirm-large-scan`);
  }
}

function literal(address: string): Block | null {
  const n4 = parseIPv4(address);
  if (n4 !== null) return { family: 4, lo: BigInt(n4), hi: BigInt(n4) };
  const n6 = parseIPv6(address);
  return n6 === null ? null : { family: 6, lo: n6, hi: n6 };
}

/** One address's block, widened to its name's CIDR prefix when there is one (capped at the family's width). */
function around(address: Block, prefix: number | undefined): Block {
  if (prefix === undefined) return address;
  return cidrBlock(address.family, address.lo, Math.min(prefix, address.family === 4 ? 32 : 128));
}

export interface ResolveOptions {
  resolver: Resolver;
  family: Family;
  /** A name that does not resolve is skipped with a warning, as nmap does. */
  onUnresolved(name: string, why: string): void;
  /** A name and the address it stands for in the scan: reports name the host by it. */
  onResolved?(name: string, address: string): void;
}

export async function resolveItems(items: readonly TargetItem[], opts: ResolveOptions): Promise<Block[]> {
  const out: Block[] = [];
  for (const item of items) {
    if (item.kind === "block") {
      out.push(item.block);
      if (item.resolvedFrom !== undefined) opts.onResolved?.(item.resolvedFrom.name, item.resolvedFrom.address);
      // 127.1 is a host name to nmap: its report reads "127.1 (127.0.0.1)", and so do ours.
      if (item.label !== undefined) opts.onResolved?.(item.label, formatIPv4(Number(item.block.lo)));
      continue;
    }
    let addresses: string[] = [];
    try {
      addresses = await opts.resolver(item.name, opts.family);
    } catch (err) {
      opts.onUnresolved(item.name, err instanceof Error ? err.message : String(err));
      continue;
    }
    // nmap's rule: a name stands for its first address, not all of them.
    const first = addresses.map(literal).find((b) => b !== null && b.family === opts.family);
    if (first) {
      out.push(around(first, item.prefix));
      // In the text the scan's events will carry for it (::0001 and ::1 are one host).
      opts.onResolved?.(item.name, first.family === 4 ? formatIPv4(Number(first.lo)) : formatIPv6(first.lo));
    } else opts.onUnresolved(item.name, await missingFamily(item.name, opts));
  }
  return out;
}

/** Why a name gave no address of the scan's family: none at all, or only the other family's (-6 or not). */
async function missingFamily(name: string, opts: ResolveOptions): Promise<string> {
  const other: Family = opts.family === 4 ? 6 : 4;
  const there = (await opts.resolver(name, other).catch(() => [] as string[])).find((a) => literal(a)?.family === other);
  if (there === undefined) return "no such name";
  const fix = opts.family === 6 ? "scan without -6" : "scan with -6";
  return `it has no IPv${opts.family} address, only IPv${other} ${there} (${fix})`;
}

/** An excluded name stands for every address it has, in both families. */
export async function resolveExcludes(items: readonly TargetItem[], resolver: Resolver): Promise<Block[]> {
  const out: Block[] = [];
  for (const item of items) {
    if (item.kind === "block") {
      out.push(item.block);
      continue;
    }
    const found: Block[] = [];
    for (const family of [4, 6] as const) {
      const addresses = await resolver(item.name, family).catch(() => [] as string[]);
      for (const a of addresses) {
        const b = literal(a);
        if (b) found.push(around(b, item.prefix));
      }
    }
    // Scanning an address the user meant to exclude is worse than not scanning.
    if (found.length === 0) throw invalid("exclude", item.name, "the name does not resolve");
    out.push(...found);
  }
  return out;
}

/**
 * The plan with its excluded names replaced by their addresses. Run before any output is
 * opened: a name that does not resolve refuses the scan there, with one line and nothing
 * created, instead of failing in the scan's first stage after the files and log exist.
 */
export async function settleExcludes(plan: TargetPlan, resolver: Resolver): Promise<TargetPlan> {
  if (plan.exclude.every((t) => t.kind === "block")) return plan;
  const blocks = await resolveExcludes(plan.exclude, resolver);
  return { ...plan, exclude: blocks.map((block) => ({ kind: "block", block })) };
}

/** Why -6 leaves an IPv4 target out. */
export const SKIPPED_UNDER_6 = "it is IPv4, and -6 scans IPv6 addresses only (scan without -6)";

/**
 * The plan with its target names replaced by the addresses they resolve to (each block
 * keeping the name for the reports), and the names that do not resolve moved to
 * `unresolved`. Run before any output is opened, so a scan left with no target at all
 * can be refused with nothing created; the scan's first stage then warns about each
 * unresolved name as it always has, and looks nothing up again.
 */
export async function settleNames(plan: TargetPlan, resolver: Resolver, family: Family): Promise<TargetPlan> {
  if (plan.include.every((t) => t.kind === "block")) return plan;
  const include: TargetItem[] = [];
  const unresolved = [...(plan.unresolved ?? [])];
  for (const item of plan.include) {
    if (item.kind === "block") {
      include.push(item);
      continue;
    }
    let named: { name: string; address: string } | undefined;
    const blocks = await resolveItems([item], {
      resolver,
      family,
      onUnresolved: (name, why) => void unresolved.push({ name, why }),
      onResolved: (name, address) => void (named = { name, address }),
    });
    const resolvedFrom = named as { name: string; address: string } | undefined;
    for (const block of blocks) include.push(resolvedFrom === undefined ? { kind: "block", block } : { kind: "block", block, resolvedFrom });
  }
  // Every name is an address now, or gone: the count ScanStarted reports is exact again.
  const blocks = include.flatMap((t) => (t.kind === "block" ? [t.block] : []));
  const cut = plan.exclude.flatMap((t) => (t.kind === "block" ? [t.block] : []));
  return { ...plan, include, unresolved, estimatedCount: new TargetSet(blocks, cut).bigSize };
}

/** Resolves names and cuts excludes out (excludes always win). */
export async function resolveTargets(plan: TargetPlan, opts: ResolveOptions): Promise<TargetSet> {
  for (const spec of plan.skipped) opts.onUnresolved(spec, SKIPPED_UNDER_6);
  for (const { name, why } of plan.unresolved ?? []) opts.onUnresolved(name, why);
  const exclude = await resolveExcludes(plan.exclude, opts.resolver);
  const include = await resolveItems(plan.include, opts);
  return new TargetSet(include, exclude);
}

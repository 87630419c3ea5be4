import { TargetSet } from "./target-set.ts";
import { type ResolveOptions, SKIPPED_UNDER_6, type TargetPlan, resolveExcludes, resolveItems } from "./targets.ts";

/** One host of a list scan: its address, and the name the user gave for it (localhost, 127.1), if any. */
export interface ListedHost {
  address: string;
  name: string | null;
}

/**
 * The targets as nmap's list scan (-sL) walks them: in the order given, each block
 * ascending, a target given twice listed twice, excludes cut out. Names resolve
 * forward (the name is how the user gave the address); nothing is sent to any host.
 */
export async function* listTargets(plan: TargetPlan, opts: ResolveOptions): AsyncGenerator<ListedHost> {
  for (const spec of plan.skipped) opts.onUnresolved(spec, SKIPPED_UNDER_6);
  for (const { name, why } of plan.unresolved ?? []) opts.onUnresolved(name, why);
  const exclude = await resolveExcludes(plan.exclude, opts.resolver);
  for (const item of plan.include) {
    // One item at a time: a name labels the address it resolved to, not the rest of its block
    // (localhost/31 lists 127.0.0.0, then localhost (127.0.0.1), as nmap does).
    let named: { name: string; address: string } | null = null;
    const blocks = await resolveItems([item], { ...opts, onResolved: (name, address) => void (named = { name, address }) });
    const label = named as { name: string; address: string } | null;
    for (const block of blocks) {
      // A block with the excludes cut out iterates ascending, as nmap lists a range.
      for (const address of new TargetSet([block], exclude)) {
        yield { address, name: label !== null && label.address === address ? label.name : null };
      }
    }
  }
}

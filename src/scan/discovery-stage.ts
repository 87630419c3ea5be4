import type { DiscoveryContext, HostDiscovery } from "./discovery.ts";
import { byAddress } from "./address.ts";
import { InOrder, type Order, Permutation } from "./permutation.ts";

/** Anything addressable by index: a TargetSet or the hosts found up. */
export interface HostList {
  readonly size: number;
  at(i: number): string;
}

/**
 * Stage 2: `discovery` probes `targets` in a permutation of its own (in address
 * order with -r) and reports each host up through `ctx.up`. Returns the hosts
 * found up in the order the port scan takes them: text order, which keeps shards
 * agreeing, or numeric order (198.18.0.2 before 198.18.0.10) with -r.
 */
export async function discoverHosts(discovery: HostDiscovery, targets: HostList, ctx: DiscoveryContext, inOrder: boolean, seed: number): Promise<HostList> {
  const order: Order = inOrder ? new InOrder(targets.size) : new Permutation(targets.size, seed ^ 0x5bd1e995);
  const hosts = function* () {
    for (let i = 0; i < order.size; i++) yield targets.at(order.at(i));
  };
  const up: string[] = [];
  const found: DiscoveryContext["up"] = (ip, method, latencyMs) => {
    up.push(ip);
    ctx.up(ip, method, latencyMs);
  };
  await discovery.discover(hosts(), { ...ctx, up: found });
  if (inOrder) up.sort(byAddress);
  else up.sort();
  return { size: up.length, at: (i) => up[i]! };
}

// Resolving a next hop's MAC on the wire: ARP for IPv4, NDP for IPv6, used
// when the kernel's cache has no entry.
import { bytesEqual, parseIp } from "./address.ts";
import { buildArpRequest, ARP_OP } from "./arp.ts";
import { decodeFrame } from "./frame.ts";
import { ETHERNET_HEADER, ETHERTYPE, writeLink } from "./ethernet.ts";
import { ICMPV6_PROTOCOL, multicastMac, solicitedNodeAddress, writeNeighborSolicitation } from "./icmpv6.ts";
import { IPV6_HEADER, writeIPv6 } from "./ipv6.ts";
import type { LinkIO, Waiter } from "./link-io.ts";
import { RejectCounter } from "./rejects.ts";

export interface ResolveOptions {
  srcMac: Uint8Array;
  source: string;
  attempts?: number;
  waitMs?: number;
  /** Awaited before each request: a scan's pause holds them. */
  beforeSend?: () => Promise<void> | void;
  /** Once aborted (a cancel, which also ends a pause), nothing more is sent: null. */
  signal?: AbortSignal;
}

/** The MAC answering for `ip`, or null after `attempts` unanswered requests. */
export async function resolveNeighbor(io: LinkIO, ip: string, opts: ResolveOptions, waiter: Waiter): Promise<Uint8Array | null> {
  const target = parseIp(ip);
  const source = parseIp(opts.source);
  if (!target || !source) return null;
  const request = target.length === 4 ? buildArpRequest(opts.srcMac, source, target) : buildSolicitation(io.linkType, opts.srcMac, source, target);
  const rejects = new RejectCounter();
  const waitMs = opts.waitMs ?? 300;
  for (let attempt = 0; attempt < (opts.attempts ?? 3); attempt++) {
    const held = opts.beforeSend?.();
    if (held) await held;
    if (opts.signal?.aborted) return null;
    io.send(request);
    const deadline = waiter.now() + waitMs;
    while (waiter.now() < deadline && !opts.signal?.aborted) {
      let found: Uint8Array | null = null;
      io.receive(64, (frame, length) => {
        if (found) return;
        const d = decodeFrame(frame, length, io.linkType, rejects);
        if (d?.kind === "arp" && d.arp.op === ARP_OP.reply && bytesEqual(d.arp.senderIp, 0, target, 0, 4)) found = d.arp.senderMac;
        if (d?.kind === "ndp" && d.mac && parseIp(d.target) && bytesEqual(parseIp(d.target)!, 0, target, 0, 16)) found = d.mac.slice();
      });
      if (found) return found;
      await waiter.sleep(2);
    }
  }
  return null;
}

/** A neighbour solicitation for `target`, sent to its solicited-node group. */
export function buildSolicitation(linkType: number, srcMac: Uint8Array, source: Uint8Array, target: Uint8Array): Uint8Array {
  const group = solicitedNodeAddress(target);
  const frame = new Uint8Array(ETHERNET_HEADER + IPV6_HEADER + 32);
  const l3 = writeLink(frame, linkType, multicastMac(group), srcMac, ETHERTYPE.ipv6);
  const l4 = writeIPv6(frame, l3, { src: source, dst: group, protocol: ICMPV6_PROTOCOL, payloadLength: 32, hopLimit: 255 });
  writeNeighborSolicitation(frame, l4, target, srcMac, source, group);
  return frame.subarray(0, l4 + 32);
}

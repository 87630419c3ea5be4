// Malformed input is counted, never thrown: every parser takes one of these
// and bumps the named reason when it returns null.

export type RejectReason =
  | "ethernet-runt"
  | "link-unsupported"
  | "arp-runt"
  | "arp-unsupported"
  | "ipv4-runt"
  | "ipv4-version"
  | "ipv4-ihl"
  | "ipv4-total-length"
  | "ipv4-checksum"
  | "ipv6-runt"
  | "ipv6-version"
  | "ipv6-payload-length"
  | "ipv6-extension-chain"
  | "tcp-runt"
  | "tcp-data-offset"
  | "tcp-option-length"
  | "udp-runt"
  | "udp-length"
  | "icmp-runt"
  | "icmp-quote"
  | "icmpv6-runt"
  | "icmpv6-quote"
  | "ndp-runt";

export class RejectCounter {
  readonly #counts = new Map<RejectReason, number>();

  bump(reason: RejectReason): null {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
    return null;
  }

  count(reason: RejectReason): number {
    return this.#counts.get(reason) ?? 0;
  }

  get total(): number {
    let n = 0;
    for (const v of this.#counts.values()) n += v;
    return n;
  }

  entries(): [RejectReason, number][] {
    return [...this.#counts];
  }
}

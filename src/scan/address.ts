// IP literals for targets: the parsers live in src/net/address.ts.
import { ipv4FromText, ipv6FromText } from "../net/address.ts";

export {
  ipv4FromText as parseIPv4,
  ipv6FromText as parseIPv6,
  ipv4ToText as formatIPv4,
  ipv6ToText as formatIPv6,
} from "../net/address.ts";

export type Family = 4 | 6;

export function familyOf(text: string): Family | null {
  if (ipv4FromText(text) !== null) return 4;
  if (ipv6FromText(text) !== null) return 6;
  return null;
}

/** Numeric address order, IPv4 before IPv6: 198.18.0.2 before 198.18.0.10. */
export function byAddress(a: string, b: string): number {
  const key = (t: string): bigint => {
    const v4 = ipv4FromText(t);
    return v4 !== null ? BigInt(v4) : (1n << 128n) + (ipv6FromText(t) ?? 0n);
  };
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

// The frames the sender tests push through lo: each carries its number, so the
// capture can tell which arrived, how often and in what order.

/** Ethernet + IPv4 + UDP 127.0.0.1:`srcPort` -> 127.0.0.1:9 (discard) whose 4-byte payload is `n`; returns its length. */
export function numberedFrame(into: Uint8Array, n: number, srcPort: number): number {
  into.fill(0, 0, 46);
  into[12] = 0x08; // IPv4
  const ip = 14;
  into.set([0x45, 0, 0, 32, 0, 0, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1], ip);
  const udp = ip + 20;
  const view = new DataView(into.buffer, into.byteOffset);
  into.set([0, 0, 0, 9, 0, 12, 0, 0], udp); // length 12, no checksum
  view.setUint16(udp, srcPort);
  view.setUint32(udp + 8, n);
  return udp + 12;
}

/**
 * Frames sent in runs of 64 through several senders: every number 0..count-1
 * arrived exactly once, and within each run of 64 in order (runs of different
 * senders may interleave on the wire).
 */
export function eachOnceRunsInOrder(seen: readonly number[], count: number): boolean {
  const sorted = [...seen].sort((a, b) => a - b);
  if (sorted.length !== count || sorted.some((n, i) => n !== i)) return false;
  const last = new Map<number, number>();
  for (const n of seen) {
    if ((last.get(n >> 6) ?? -1) > n) return false;
    last.set(n >> 6, n);
  }
  return true;
}

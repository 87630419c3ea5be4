// What the SYN technique needs from the capture layer, as a capability: the
// scan command opens pcap handles (ffi/) and passes them in; tests pass fakes.
import type { LinkIO } from "../../net/index.ts";

export interface LinkStats {
  received: number;
  dropped: number;
  ifDropped: number;
}

/**
 * Frames queued in place and sent many per system call. A frame is written
 * into `next()` (a slot of `slotSize` bytes), then `commit`ted with its length;
 * a full batch goes out by itself, and `flush` sends what is queued. Frames
 * go out in commit order, except that with several sending threads runs of
 * frames from different threads may interleave.
 */
export interface FrameBatch {
  readonly slotSize: number;
  next(): Uint8Array;
  commit(length: number): void;
  flush(): void;
}

export interface PacketLink extends LinkIO {
  /** Batched sends, where the link has them. */
  readonly batch?: FrameBatch;
  /**
   * `receive` without a view per frame, where the link has it: frames arrive
   * as `buf[offset, offset + length)` of one shared buffer, valid during the call.
   */
  receiveAt?(max: number, sink: (buf: Uint8Array, offset: number, length: number) => void): number;
  setFilter(expression: string): void;
  stats(): LinkStats;
  close(): void;
}

/** Opens the capture/injection handle on a device; called once per device a scan uses. */
export type LinkOpener = (device: string) => PacketLink;

/** BPF: replies to our source ports, ICMP errors, and ARP/NDP answers for next-hop resolution. */
export function replyFilter(firstPort: number, count: number): string {
  const last = firstPort + count - 1;
  return `(tcp and dst portrange ${firstPort}-${last}) or (icmp and (icmp[0] == 3 or icmp[0] == 11)) or arp or icmp6`;
}

// What a SYN-ACK shows of the target's TCP stack, kept for OS detection (-O).
import { tcpOptions, type TcpSegment } from "../../net/index.ts";
import type { SynAckTraits } from "../technique.ts";

/** TTL, window and options of a SYN-ACK; `frame` is the captured frame `d` was decoded from. */
export function synAckTraits(frame: Uint8Array | null, d: TcpSegment): SynAckTraits {
  const options = frame ? tcpOptions(frame, d.tcp) : [];
  return {
    ttl: d.ttl,
    window: d.tcp.window,
    options: options.map((o) => o.name),
    mss: options.find((o) => o.name === "MSS")?.value ?? null,
    windowScale: options.find((o) => o.name === "WSCALE")?.value ?? null,
  };
}

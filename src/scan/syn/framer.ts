// Frames for one (source, target) pair: link and IP headers are written once,
// each probe rewrites only the TCP header in a reused buffer (the send is
// synchronous, so nobody else holds the buffer meanwhile).
import { buildTcpFrame, IPV4_HEADER, IPV6_HEADER, linkHeaderLength, TCP_FLAG, writeTcp } from "../../net/index.ts";

/** MSS 1460, as a plain client's SYN carries it; some stacks answer option-less SYNs differently. */
const PLAIN_OPTIONS = Uint8Array.from([2, 4, 0x05, 0xb4]);
/**
 * For -O: MSS, SACK permitted, timestamp, NOP, window scale, as a Linux client
 * sends them. A stack answers only the options it was offered, so only a SYN
 * that offers all of them shows the target's own option order in the SYN-ACK.
 */
const FINGERPRINT_OPTIONS = Uint8Array.from([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7]);

export type SynOptionSet = "plain" | "fingerprint";
const SYN_WINDOW = 1024;

export interface FramerSpec {
  linkType: number;
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  src: Uint8Array;
  dst: Uint8Array;
}

export class SynFramer {
  readonly #syn: Uint8Array;
  readonly #rst: Uint8Array;
  readonly #tcpAt: number;
  readonly #src: Uint8Array;
  readonly #dst: Uint8Array;
  readonly #options: Uint8Array;

  constructor(s: FramerSpec, optionSet: SynOptionSet = "plain") {
    const base = { ...s, srcPort: 0, dstPort: 0, seq: 0 };
    this.#options = optionSet === "fingerprint" ? FINGERPRINT_OPTIONS : PLAIN_OPTIONS;
    this.#syn = buildTcpFrame({ ...base, flags: TCP_FLAG.syn, window: SYN_WINDOW, options: this.#options });
    this.#rst = buildTcpFrame({ ...base, flags: TCP_FLAG.rst, window: 0 });
    this.#tcpAt = linkHeaderLength(s.linkType) + (s.src.length === 16 ? IPV6_HEADER : IPV4_HEADER);
    this.#src = s.src;
    this.#dst = s.dst;
  }

  syn(srcPort: number, dstPort: number, seq: number): Uint8Array {
    writeTcp(this.#syn, this.#tcpAt, { srcPort, dstPort, seq, flags: TCP_FLAG.syn, window: SYN_WINDOW, options: this.#options }, this.#src, this.#dst);
    return this.#syn;
  }

  /** Tears down a half-open connection the target thinks we started. */
  rst(srcPort: number, dstPort: number, seq: number): Uint8Array {
    writeTcp(this.#rst, this.#tcpAt, { srcPort, dstPort, seq, flags: TCP_FLAG.rst, window: 0 }, this.#src, this.#dst);
    return this.#rst;
  }
}

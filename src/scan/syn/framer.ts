// Frames for one (source, target) pair: the whole SYN is built once as a
// template; each probe copies it and patches only the ports, the sequence
// number and the TCP checksum, which is updated from the template's partial
// sum instead of summed again (RFC 1624).
import { buildTcpFrame, IPV4_HEADER, IPV6_HEADER, linkHeaderLength, pseudoHeaderSum, sumWords, TCP_FLAG, TCP_PROTOCOL, writeTcp } from "../../net/index.ts";

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
  /** The SYN with ports, sequence number and checksum zero. */
  readonly #template: Uint8Array;
  /** Pseudo-header and template TCP header summed, carries not yet folded. */
  readonly #partialSum: number;
  readonly #syn: Uint8Array;
  readonly #rst: Uint8Array;
  readonly #tcpAt: number;
  readonly #src: Uint8Array;
  readonly #dst: Uint8Array;
  readonly #options: Uint8Array;

  constructor(s: FramerSpec, optionSet: SynOptionSet = "plain") {
    const base = { ...s, srcPort: 0, dstPort: 0, seq: 0 };
    this.#options = optionSet === "fingerprint" ? FINGERPRINT_OPTIONS : PLAIN_OPTIONS;
    this.#template = buildTcpFrame({ ...base, flags: TCP_FLAG.syn, window: SYN_WINDOW, options: this.#options });
    this.#syn = this.#template.slice();
    this.#rst = buildTcpFrame({ ...base, flags: TCP_FLAG.rst, window: 0 });
    this.#tcpAt = linkHeaderLength(s.linkType) + (s.src.length === 16 ? IPV6_HEADER : IPV4_HEADER);
    this.#src = s.src;
    this.#dst = s.dst;
    const tcpLength = this.#template.length - this.#tcpAt;
    this.#template[this.#tcpAt + 16] = this.#template[this.#tcpAt + 17] = 0;
    this.#partialSum = sumWords(this.#template, this.#tcpAt, this.#template.length, pseudoHeaderSum(s.src, s.dst, TCP_PROTOCOL, tcpLength));
  }

  /** Bytes in a SYN frame. */
  get synLength(): number {
    return this.#template.length;
  }

  /** The SYN in a buffer of the framer's own, valid until the next call. */
  syn(srcPort: number, dstPort: number, seq: number): Uint8Array {
    this.synInto(this.#syn, srcPort, dstPort, seq);
    return this.#syn;
  }

  /** Writes the SYN at the start of `out` (at least `synLength` bytes) and returns its length. */
  synInto(out: Uint8Array, srcPort: number, dstPort: number, seq: number): number {
    const t = this.#tcpAt;
    out.set(this.#template);
    out[t] = srcPort >> 8;
    out[t + 1] = srcPort & 0xff;
    out[t + 2] = dstPort >> 8;
    out[t + 3] = dstPort & 0xff;
    out[t + 4] = seq >>> 24;
    out[t + 5] = (seq >>> 16) & 0xff;
    out[t + 6] = (seq >>> 8) & 0xff;
    out[t + 7] = seq & 0xff;
    // The template summed these four words as zero: add them and fold.
    let sum = this.#partialSum + srcPort + dstPort + (seq >>> 16) + (seq & 0xffff);
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    const check = ~sum & 0xffff;
    out[t + 16] = check >> 8;
    out[t + 17] = check & 0xff;
    return this.#template.length;
  }

  /** Tears down a half-open connection the target thinks we started. */
  rst(srcPort: number, dstPort: number, seq: number): Uint8Array {
    writeTcp(this.#rst, this.#tcpAt, { srcPort, dstPort, seq, flags: TCP_FLAG.rst, window: 0 }, this.#src, this.#dst);
    return this.#rst;
  }
}

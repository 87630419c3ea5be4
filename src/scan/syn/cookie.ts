// SYN cookies: the sequence number of each probe is a keyed hash of its
// addresses and ports, so a reply proves itself (ack = cookie + 1) without
// any per-probe state. HalfSipHash-2-4 (32-bit words, 64-bit key) keeps it cheap.

const rotl = (x: number, b: number) => ((x << b) | (x >>> (32 - b))) >>> 0;

export class SynCookies {
  readonly #k0: number;
  readonly #k1: number;
  // Message words reused across calls: 2 per IPv4 pair, 8 per IPv6 pair, plus the ports.
  readonly #words = new Uint32Array(9);

  /** `secret`: at least 8 random bytes, fresh per scan. */
  constructor(secret: Uint8Array) {
    if (secret.length < 8) throw new RangeError("SYN cookie secret needs 8 bytes");
    const v = new DataView(secret.buffer, secret.byteOffset, 8);
    this.#k0 = v.getUint32(0, true);
    this.#k1 = v.getUint32(4, true);
  }

  /** The sequence number for a probe from `src`:`srcPort` to `dst`:`dstPort` (4- or 16-byte addresses). */
  cookie(src: Uint8Array, dst: Uint8Array, srcPort: number, dstPort: number): number {
    const w = this.#words;
    let n = 0;
    for (const a of [src, dst]) {
      for (let i = 0; i < a.length; i += 4) w[n++] = ((a[i]! << 24) | (a[i + 1]! << 16) | (a[i + 2]! << 8) | a[i + 3]!) >>> 0;
    }
    w[n++] = ((srcPort << 16) | dstPort) >>> 0;
    return this.#hash(w, n);
  }

  #hash(m: Uint32Array, count: number): number {
    let v0 = this.#k0;
    let v1 = this.#k1;
    let v2 = (0x6c796765 ^ this.#k0) >>> 0;
    let v3 = (0x74656462 ^ this.#k1) >>> 0;
    const round = () => {
      v0 = (v0 + v1) >>> 0;
      v1 = rotl(v1, 5) ^ v0;
      v0 = rotl(v0, 16);
      v2 = (v2 + v3) >>> 0;
      v3 = rotl(v3, 8) ^ v2;
      v0 = (v0 + v3) >>> 0;
      v3 = rotl(v3, 7) ^ v0;
      v2 = (v2 + v1) >>> 0;
      v1 = rotl(v1, 13) ^ v2;
      v2 = rotl(v2, 16);
    };
    for (let i = 0; i < count; i++) {
      const x = m[i]!;
      v3 = (v3 ^ x) >>> 0;
      round();
      round();
      v0 = (v0 ^ x) >>> 0;
    }
    const b = ((count * 4) << 24) >>> 0;
    v3 = (v3 ^ b) >>> 0;
    round();
    round();
    v0 = (v0 ^ b) >>> 0;
    v2 = (v2 ^ 0xff) >>> 0;
    round();
    round();
    round();
    round();
    return (v1 ^ v3) >>> 0;
  }
}

// SYN cookies: the sequence number of each probe is a keyed hash of its
// addresses and ports, so a reply proves itself (ack = cookie + 1) without
// any per-probe state. HalfSipHash-2-4 (32-bit words, 64-bit key) keeps it cheap.

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
    for (let i = 0; i < src.length; i += 4) w[n++] = ((src[i]! << 24) | (src[i + 1]! << 16) | (src[i + 2]! << 8) | src[i + 3]!) >>> 0;
    for (let i = 0; i < dst.length; i += 4) w[n++] = ((dst[i]! << 24) | (dst[i + 1]! << 16) | (dst[i + 2]! << 8) | dst[i + 3]!) >>> 0;
    w[n++] = ((srcPort << 16) | dstPort) >>> 0;
    return halfSipHash(this.#k0, this.#k1, w, n);
  }

  /** `cookie` for IPv4 addresses given as numbers (a.b.c.d = a << 24 | ...), the same value. */
  cookieV4(src: number, dst: number, srcPort: number, dstPort: number): number {
    return halfSipHash3(this.#k0, this.#k1, src, dst, ((srcPort << 16) | dstPort) >>> 0);
  }
}

/**
 * HalfSipHash-2-4 over 32-bit words (the reference reads bytes little-endian
 * into these words). SipRounds are written out: closures over the state words
 * cost more than the hash itself.
 */
export function halfSipHash(k0: number, k1: number, m: Uint32Array, count: number): number {
  let v0 = k0;
  let v1 = k1;
  let v2 = (0x6c796765 ^ k0) >>> 0;
  let v3 = (0x74656462 ^ k1) >>> 0;
  const b = ((count * 4) << 24) >>> 0;
  // Message words, then the length word, each with 2 rounds; then 4 finalisation rounds.
  for (let i = 0; i <= count + 4; i++) {
    const final = i > count;
    const x = i < count ? m[i]! : i === count ? b : 0;
    if (!final) v3 ^= x;
    if (i === count + 1) v2 ^= 0xff;
    for (let r = final ? 1 : 2; r > 0; r--) {
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
    }
    if (!final) v0 ^= x;
  }
  return (v1 ^ v3) >>> 0;
}

/**
 * halfSipHash of exactly three words: the IPv4 cookie is computed twice per
 * probe (sent, answered), and the general version's per-word branches and
 * array reads cost about as much as the rounds (76 vs 42 ns a call here).
 */
export function halfSipHash3(k0: number, k1: number, m0: number, m1: number, m2: number): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  // Two rounds per message word, the last word being the length (12 bytes); then 0xff and four rounds.
  // The round is written out where it runs, not called: it updates four locals, and handing
  // them to a function and back costs more than the round itself.
  for (let i = 0; i < 4; i++) {
    const x = i === 0 ? m0 : i === 1 ? m1 : i === 2 ? m2 : 12 << 24;
    v3 ^= x;
    for (let r = 0; r < 2; r++) {
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
    }
    v0 ^= x;
  }
  v2 ^= 0xff;
  for (let r = 0; r < 4; r++) {
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
  }
  return (v1 ^ v3) >>> 0;
}

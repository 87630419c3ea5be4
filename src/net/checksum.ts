// The Internet checksum (RFC 1071) and the pseudo-headers TCP/UDP/ICMPv6 add.

/** Adds 16-bit big-endian words of buf[start, end) to `sum` (an odd tail is zero-padded). */
export function sumWords(buf: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) sum += buf[i]! << 8;
  return sum;
}

/** Folds carries and complements: the value to store in a checksum field. */
export function finish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

export function checksum(buf: Uint8Array, start: number, end: number, initial = 0): number {
  return finish(sumWords(buf, start, end, initial));
}

/** Pseudo-header sum: source and destination addresses (4 or 16 bytes), protocol, length. */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): number {
  let sum = sumWords(src, 0, src.length) + sumWords(dst, 0, dst.length) + protocol;
  if (src.length === 16) sum += Math.floor(length / 0x10000) + (length & 0xffff);
  else sum += length;
  return sum;
}

// IPv4 addresses as nmap 7.93 reads a target. Four dotted numbers go through its octet
// parser first: decimal, leading zeros allowed (0177.0.0.1 is 177.0.0.1, 127.0.0.010 is
// 127.0.0.10). Anything else is a host name to nmap, which getaddrinfo answers with
// inet_aton's forms: one to four parts, each decimal, octal (0177) or hex (0x7f), the
// last filling the bits left (127.1 is 127.0.0.1, so are 2130706433 and 0x7f000001).

const DECIMAL_OCTETS = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/;
const PART = /^(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9]\d*))$/;

/** a.b.c.d in decimal, 0-255 each, leading zeros allowed; null otherwise. */
export function dottedDecimal(text: string): number | null {
  const m = DECIMAL_OCTETS.exec(text);
  if (!m) return null;
  let n = 0;
  for (const octet of m.slice(1).map(Number)) {
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

function part(text: string): number | null {
  const m = PART.exec(text);
  if (!m) return null;
  return m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 8) : Number(m[3]);
}

/** What inet_aton (glibc's, as getaddrinfo uses it) makes of `text`; null where it refuses. */
export function inetAton(text: string): number | null {
  const parts = text.split(".").map(part);
  if (parts.length > 4 || parts.some((p) => p === null)) return null;
  const values = parts as number[];
  const last = values.pop()!;
  // The leading parts are octets; the last holds the 8, 16, 24 or 32 bits left.
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return null;
  return values.reduce((n, v, i) => n + v * 2 ** (8 * (3 - i)), 0) + last;
}

/** Either of nmap's readings of an IPv4 target, the octet parser's first. */
export function nmapIPv4(text: string): number | null {
  return dottedDecimal(text) ?? inetAton(text);
}

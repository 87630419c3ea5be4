// The order reports list hosts in: IPv4 by number (198.18.0.9 before 198.18.0.10),
// then anything else (IPv6, names) as text. Log summaries, diffs and the dashboard share it.

/** IPv4 as a number for ordering, or NaN. */
function ipv4Rank(host: string): number {
  const p = host.split(".");
  if (p.length !== 4) return Number.NaN;
  return ((Number(p[0]) * 256 + Number(p[1])) * 256 + Number(p[2])) * 256 + Number(p[3]);
}

/** Items ordered by host as compareHosts orders them (stable), each host parsed once. */
export function sortHosts<T>(items: readonly T[], hostOf: (item: T) => string): T[] {
  const keyed = items.map((item, i) => ({ item, i, host: hostOf(item), rank: ipv4Rank(hostOf(item)) }));
  keyed.sort((a, b) => {
    const an = Number.isNaN(a.rank);
    const bn = Number.isNaN(b.rank);
    if (!an && !bn) return a.rank - b.rank || a.i - b.i;
    if (an !== bn) return an ? 1 : -1;
    return (a.host < b.host ? -1 : a.host > b.host ? 1 : 0) || a.i - b.i;
  });
  return keyed.map((k) => k.item);
}

/** Numeric order for IPv4 (198.18.0.9 before 198.18.0.10), then others in text order. */
export function compareHosts(a: string, b: string): number {
  const ra = ipv4Rank(a);
  const rb = ipv4Rank(b);
  const an = Number.isNaN(ra);
  const bn = Number.isNaN(rb);
  if (!an && !bn) return ra - rb;
  if (an !== bn) return an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

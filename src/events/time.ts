// ISO 8601 with milliseconds, UTC. Events arrive in time order, so the text up to
// the seconds is reused while the second is unchanged: toISOString() costs
// ~10x more than the string concatenation that replaces it.
let cachedSecond = Number.NaN;
let cachedPrefix = "";

const MS_TEXT: string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

export function isoTime(epochMs: number): string {
  const ms = Math.floor(epochMs);
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString(); // "YYYY-MM-DDTHH:MM:SS.000Z"
    cachedPrefix = iso.slice(0, 20);
    cachedSecond = second;
  }
  return cachedPrefix + MS_TEXT[ms - second * 1000] + "Z";
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an ISO 8601 timestamp, or NaN when it is not one. */
export function parseIsoTime(text: string): number {
  return ISO_RE.test(text) ? Date.parse(text) : Number.NaN;
}

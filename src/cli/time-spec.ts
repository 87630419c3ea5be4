import { isoTime } from "../events/index.ts";
import { invalid } from "../errors.ts";

// Times typed on the command line: nmap's durations (--scan-delay, --host-timeout),
// and the points in time of `prtip log` (--since, --until, --from, --to).

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

// nmap's time values: a number with ms, s, m or h after it, a plain number being
// seconds ("0.5" is half a second), as nmap 7.93 reads them; anything else ("10x",
// "-1", "1us") it refuses, and so does prtip.

/** The time `value` names, in milliseconds; `flag` names it in the error. */
export function nmapTime(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d*)?|\.\d+)(ms|s|m|h)?$/i.exec(value.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[(m[2] ?? "s").toLowerCase()]! : Number.NaN;
  // A week is far past any sensible delay; past it the timers would overflow.
  if (!(ms <= 7 * 24 * 3_600_000)) {
    throw invalid(`time for ${flag}`, value, "expected a number with ms, s, m or h (plain numbers are seconds), at most 168h");
  }
  return ms;
}

/** Minutes east of UTC of the local zone at the instant `utcMs` (New York in November: -300). */
export type ZoneOffset = (utcMs: number) => number;

/** The zone of the process (TZ, else the system's), as `date` uses it. */
export const localZone: ZoneOffset = (utcMs) => -new Date(utcMs).getTimezoneOffset();

/** A named IANA zone (tests pin one: the machine's own varies). */
export function namedZone(name: string): ZoneOffset {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: name,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  return (utcMs) => {
    const part = Object.fromEntries(format.formatToParts(utcMs).map((p) => [p.type, Number(p.value)]));
    const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
    return Math.round((wall - (utcMs - (((utcMs % 1000) + 1000) % 1000))) / 60_000);
  };
}

const SPAN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const SPAN_MS: Record<string, number> = { ...UNIT_MS, d: 86_400_000, w: 604_800_000 };
// 2024-11-15, 2024-11-15T10:30, 2024-11-15 10:30:05.123, …Z, …+01:00, …-0500, …+01.
const POINT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A point in time for `prtip log` as ISO UTC text (the log's own form, compared as
 * text): ISO 8601 with a zone, or without one in local time, as ISO 8601, GNU
 * `date -d` and `journalctl --since` read it; a space may stand for the T (`date`
 * prints `2024-11-15 10:30:05`); a date alone is local midnight. Or a span back
 * from `now`: 15m, 2h, 7d.
 */
export function logTime(flag: string, text: string, now: number, zone: ZoneOffset = localZone): string {
  const span = SPAN.exec(text);
  if (span) return isoTime(now - Number(span[1]) * SPAN_MS[span[2]!]!);
  const m = POINT.exec(text.trim());
  const [y, mo, d, h = 0, mi = 0, s = 0] = m ? m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) : [];
  const ms = m?.[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const wall = Date.UTC(y!, mo! - 1, d!, h, mi, s, ms);
  const back = new Date(wall);
  // Date.UTC rolls 2024-02-30 over to March: such a date is refused, not moved.
  if (!m || Number.isNaN(wall) || back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d || h! > 23 || mi! > 59 || s! > 59) {
    throw invalid(`time for ${flag}`, text, "expected ISO 8601 (2024-11-15T10:30:00Z; without Z or +HH:MM, local time) or a span such as 15m, 2h, 7d");
  }
  const z = m[8];
  if (z !== undefined) {
    const off = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
    const minutes = off === null ? 0 : (off[1] === "-" ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3] ?? 0));
    return isoTime(wall - minutes * 60_000);
  }
  // The offset at the guess, then at the answer: right on either side of a DST change.
  const guess = wall - zone(wall) * 60_000;
  return isoTime(wall - zone(guess) * 60_000);
}

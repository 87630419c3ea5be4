import { invalid } from "../errors.ts";

// nmap's time values (--scan-delay, --host-timeout): a number with ms, s, m or h
// after it, a plain number being seconds ("0.5" is half a second), as nmap 7.93
// reads them; anything else ("10x", "-1", "1us") it refuses, and so does prtip.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

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

import { isoTime } from "../events/index.ts";
import type { AnyEvent } from "../events/index.ts";

const HIDDEN = new Set(["event", "scan_id", "seq", "timestamp", "raw"]);

/** The event's time as ISO UTC text, or null for an event without one. */
function isoOf(e: AnyEvent): string | null {
  return typeof e.timestamp === "number" && Number.isFinite(e.timestamp) ? isoTime(e.timestamp) : null;
}

/**
 * One readable line per event: `10:30:01.123Z PortFound target=… port=22 …`. The
 * time is UTC, marked Z: the log is UTC while a zone-less --since/--from is read
 * as local time, so a bare 10:30:01 could be either. The date is left to
 * `eventLines`, which says it once per day instead of on every line.
 */
export function describeEvent(e: AnyEvent): string {
  const time = isoOf(e)?.slice(11, 24) ?? "--:--:--.--- ";
  const parts = [time, e.event];
  for (const [k, v] of Object.entries(e)) {
    if (HIDDEN.has(k) || v === null) continue;
    parts.push(`${k}=${typeof v === "string" ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
  }
  return parts.join(" ");
}

/**
 * The lines replay prints for the events in order: each as `describeEvent` has it,
 * preceded by `-- 2024-11-15 (UTC) --` for the first event and whenever the UTC
 * date changes (a scan across midnight, a log of several days), as journalctl
 * marks its boots. A date on every line would add 11 columns to every line of a
 * replay followed by eye; the Z keeps a grep'd line unambiguous about the zone.
 */
export function eventLines(): (e: AnyEvent) => string {
  let day = "";
  return (e) => {
    const line = describeEvent(e);
    const today = isoOf(e)?.slice(0, 10);
    if (today === undefined || today === day) return line;
    day = today;
    return `-- ${today} (UTC) --\n${line}`;
  };
}

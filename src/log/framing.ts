import { isoTime } from "../events/index.ts";

// The two lines the logger itself writes around the events (design.md "Log framing
// lines"): not bus events, so no scan_id and no seq.

export const LOG_FORMAT_VERSION = "1.0";

export function logStartedLine(now: number, continues?: string): string {
  const head = `{"event":"log_started","timestamp":"${isoTime(now)}","version":"${LOG_FORMAT_VERSION}"`;
  return continues === undefined ? head + "}" : head + `,"continues":${JSON.stringify(continues)}}`;
}

/**
 * `events` counts the event lines in this file; `lost` (written only when some
 * were) counts events that a failed write kept out of it; they show as seq gaps.
 */
export function logEndedLine(now: number, events: number, lost: number, next?: string): string {
  let line = `{"event":"log_ended","timestamp":"${isoTime(now)}","events":${events}`;
  if (lost > 0) line += `,"lost":${lost}`;
  if (next !== undefined) line += `,"reason":"rotated","next":${JSON.stringify(next)}`;
  return line + "}";
}

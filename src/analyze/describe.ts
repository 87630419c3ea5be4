import { isoTime } from "../events/index.ts";
import type { AnyEvent } from "../events/index.ts";

const HIDDEN = new Set(["event", "scan_id", "seq", "timestamp", "raw"]);

/** One readable line per event, for replay without a progress renderer: `10:30:01.123 PortFound target=… port=22 …`. */
export function describeEvent(e: AnyEvent): string {
  const time = typeof e.timestamp === "number" && Number.isFinite(e.timestamp) ? isoTime(e.timestamp).slice(11, 23) : "--:--:--.---";
  const parts = [time, e.event];
  for (const [k, v] of Object.entries(e)) {
    if (HIDDEN.has(k) || v === null) continue;
    parts.push(`${k}=${typeof v === "string" ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
  }
  return parts.join(" ");
}

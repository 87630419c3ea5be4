import { decodeEvent } from "../events/index.ts";
import type { EventBus } from "../events/index.ts";
import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { isFraming } from "./line.ts";
import type { LogLine } from "./line.ts";
import { scanLines } from "./scan-lines.ts";

/** Time as replay sees it: tests pass a fake clock whose sleep advances it. */
export interface ReplayClock {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ReplayOptions {
  /** 1 is the original pace, 10 ten times faster; "max" never waits. */
  speed: number | "max";
  /** Recorded idle stretches longer than this (log milliseconds) are cut to it. */
  maxGapMs?: number;
  /** ISO bounds on the event timestamps: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  clock: ReplayClock;
  /** Only lines passing this are replayed (e.g. a compiled --event filter). */
  keep?: (line: LogLine) => boolean;
  signal?: AbortSignal;
  /**
   * Called with each published event's line as the log has it (its own seq,
   * unknown fields, spacing): --emit writes these, not the bus's renumbered
   * copy, so the seq gaps that tell of lost events survive a replay.
   */
  onPublished?: (line: string) => void;
  /** While paused (the dashboard's p), nothing is published and the pace schedule waits too. */
  gate?: { readonly paused: boolean; wait(): Promise<void> };
}

export interface ReplayResult {
  published: number;
  /** Events the bus refused (its validation), counted, not fatal. */
  rejected: number;
  /** True when the signal stopped the replay early. */
  stopped: boolean;
}

/**
 * Publishes the log's events onto `bus` again, paced like the recording: an
 * event recorded d ms after the first one is published d/speed ms after the
 * start (idle stretches capped by maxGapMs first). Pacing is computed from the
 * start, so time spent publishing does not accumulate as drift. Any bus
 * subscriber (progress renderer, dashboard, --emit writer) sees a live scan.
 */
export async function replay(
  sources: readonly ByteSource[],
  bus: EventBus,
  anomalies: Anomalies,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const { speed, maxGapMs, from, to, clock, keep, signal, gate, onPublished } = options;
  let published = 0;
  let rejected = 0;
  let wallStart = Number.NaN;
  let prevLogTime = Number.NaN;
  let offset = 0;
  await scanLines(
    sources,
    anomalies,
    (line) => {
      const name = line.name!;
      if (isFraming(name) || (keep !== undefined && !keep(line))) return;
      const ts = line.timestampText();
      if (from !== undefined && (ts === null || ts < from)) return;
      if (to !== undefined && ts !== null && ts >= to) return false;
      let event;
      try {
        event = decodeEvent(line.text());
      } catch (err) {
        anomalies.malformed(line.source, line.lineNo, (err as Error).message);
        return;
      }
      const publish = () => {
        if (bus.publish(event)) {
          published++;
          // Still this line: scanLines waits for a paced publish before it moves on.
          onPublished?.(line.text());
        } else rejected++;
      };
      // A pause shifts the whole schedule, so resuming does not burst to catch up.
      const held = async () => {
        const since = clock.now();
        await gate!.wait();
        wallStart += clock.now() - since;
        if (!signal?.aborted) publish();
      };
      const send = () => (gate?.paused ? held() : publish());
      const t = event.timestamp;
      if (speed === "max" || t === undefined || Number.isNaN(t)) return send();
      if (Number.isNaN(wallStart)) {
        wallStart = clock.now();
        prevLogTime = t;
        return send();
      }
      const gap = Math.max(0, t - prevLogTime);
      prevLogTime = Math.max(prevLogTime, t);
      offset += maxGapMs === undefined ? gap : Math.min(gap, maxGapMs);
      const wait = wallStart + offset / speed - clock.now();
      if (wait <= 0) return send();
      return clock.sleep(wait, signal).then(() => (signal?.aborted ? undefined : send()));
    },
    { signal },
  );
  return { published, rejected, stopped: signal?.aborted === true };
}

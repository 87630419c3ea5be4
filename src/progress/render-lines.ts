import type { EtaAccuracy } from "./accuracy.ts";
import type { EtaReading } from "./eta.ts";
import type { Field } from "./fit-fields.ts";
import { fitFields } from "./fit-fields.ts";
import { bar, formatBandwidth, formatCount, formatDuration, formatElapsed, wholePercent } from "./format.ts";
import { STAGE_LABELS } from "./stages.ts";
import type { ProgressSnapshot } from "./tracker.ts";

// The line styles. Each takes a snapshot and returns the lines to show, with
// no cursor control: the status display owns the terminal. A line wider than
// the terminal loses whole fields, least useful first (rates, then the stage's
// name, then the bar), so a number is never cut: "37%" never shows as "3".
// The percent and the ETA are the last to go.

export type ProgressStyle = "compact" | "detailed" | "bars";

/** Columns and lines the status may take; unbounded when not given. */
export interface Room {
  columns: number;
  rows: number;
}

const UNBOUNDED: Room = { columns: Infinity, rows: Infinity };

export function etaText(eta: EtaReading): string {
  switch (eta.state) {
    case "estimating":
      return "ETA: estimating";
    case "unknown":
      return "ETA: unknown";
    case "paused":
      return "ETA: paused";
    case "cancelled":
      return "cancelled";
    case "known":
      return `ETA: ${formatDuration(eta.seconds)}`;
  }
}

const ACCURACY_COLOUR: Record<EtaAccuracy, string | null> = {
  "on-track": "\x1b[32m",
  slow: "\x1b[33m",
  "very-slow": "\x1b[31m",
  none: null,
};

function paint(text: string, sgr: string | null, colour: boolean): string {
  return colour && sgr !== null ? `${sgr}${text}\x1b[0m` : text;
}

function oneDecimal(percent: number): string {
  return (Math.floor(Math.min(100, Math.max(0, percent)) * 10 + 1e-6) / 10).toFixed(1);
}

/** What replaces the ETA once the scan is not running. */
function ending(s: ProgressSnapshot): string | null {
  switch (s.status) {
    case "waiting":
      return "waiting for the scan to start";
    case "paused":
      return `Paused at ${formatElapsed(s.elapsed)}`;
    case "completed":
      return `Done in ${formatElapsed(s.elapsed)}`;
    case "cancelled":
      return `Cancelled after ${formatElapsed(s.elapsed)}`;
    case "running":
      return null;
  }
}

function stageTag(s: ProgressSnapshot): string {
  return s.stages[s.stage - 1] === undefined ? "[Stage -/5]" : `[Stage ${s.stage}/5]`;
}

function stageName(s: ProgressSnapshot): string {
  const stage = s.stages[s.stage - 1];
  return stage === undefined ? "Starting" : STAGE_LABELS[stage.name];
}

function stageHead(s: ProgressSnapshot): string {
  return `${stageTag(s)} ${stageName(s)}`;
}

function stagePercent(s: ProgressSnapshot): number {
  return s.status === "completed" ? 100 : (s.stages[s.stage - 1]?.percent ?? 0);
}

/** `[Stage 3/5] Port Scanning ▓▓▓▓▓▓▓▓▓░ 87% | ETA: 3m 24s` */
export function compactLine(s: ProgressSnapshot, columns = Infinity): string {
  // The scan's percent, not the stage's: one bar that never drops back to 0% at a stage change.
  const p = s.status === "completed" ? 100 : s.percent;
  return fitFields(
    [
      { text: stageTag(s), keep: 3 },
      { text: stageName(s), keep: 1 },
      { text: bar(p), keep: 2 },
      { text: `${wholePercent(p)}%`, keep: 5 },
      { text: ending(s) ?? etaText(s.eta), keep: 4, before: " | " },
    ],
    columns,
  );
}

/** Stage and overall percent, the ETA coloured by how well recent ETAs held, and the rates. */
export function detailedLine(s: ProgressSnapshot, colour: boolean, columns = Infinity): string {
  const eta = ending(s) ?? paint(etaText(s.eta), ACCURACY_COLOUR[s.accuracy], colour);
  return fitFields(
    [
      { text: stageTag(s), keep: 5 },
      { text: stageName(s), keep: 4 },
      { text: `${oneDecimal(stagePercent(s))}%`, keep: 5 },
      { text: `Overall ${oneDecimal(s.percent)}%`, keep: 7, before: " | " },
      { text: eta, keep: 6, before: " | " },
      { text: `${formatCount(s.pps)} pps`, keep: 3, before: " | " },
      { text: `${formatCount(s.hostsPerMin)} hpm`, keep: 2, before: " | " },
      { text: formatBandwidth(s.bandwidthBps), keep: 1, before: " | " },
    ],
    columns,
  );
}

/** `Stage 3: Port Scanning       ▓▓▓▓▓▓▓▓▓░  87%`: the bar goes first, then the name. */
function stageLine(s: ProgressSnapshot, i: number, columns: number): string {
  const st = s.stages[i]!;
  const fields: Field[] = [
    { text: `Stage ${i + 1}:`, keep: 3 },
    // Padded so the bars line up: "Stage 1: " plus the longest name is 28 columns.
    { text: STAGE_LABELS[st.name].padEnd(19), keep: 2 },
  ];
  if (st.state === "skipped") fields.push({ text: "skipped", keep: 4 });
  else fields.push({ text: bar(st.percent), keep: 1 }, { text: `${String(wholePercent(st.percent)).padStart(3)}%`, keep: 4 });
  return fitFields(fields, columns);
}

/** `Overall ▓▓▓▓▓░░░░░ 52% | ETA: 3m 24s | 1,240 pps | 42 hpm` */
function overallLine(s: ProgressSnapshot, columns: number): string {
  return fitFields(
    [
      { text: "Overall", keep: 4 },
      { text: bar(s.percent), keep: 3 },
      { text: `${wholePercent(s.percent)}%`, keep: 6 },
      { text: ending(s) ?? etaText(s.eta), keep: 5, before: " | " },
      { text: `${formatCount(s.pps)} pps`, keep: 2, before: " | " },
      { text: `${formatCount(s.hostsPerMin)} hpm`, keep: 1, before: " | " },
    ],
    columns,
  );
}

/**
 * One line per stage, then the overall line. A terminal too short for all of
 * them (a tmux split, an editor's panel) gets the running stage and the overall
 * line, or with a single line the compact one: lines that don't fit would
 * scroll a copy of the first one away on every redraw.
 */
export function barLines(s: ProgressSnapshot, room: Room = UNBOUNDED): string[] {
  const all = s.stages.length + 1;
  if (room.rows >= all) return [...s.stages.map((_, i) => stageLine(s, i, room.columns)), overallLine(s, room.columns)];
  if (room.rows < 2) return [compactLine(s, room.columns)];
  const current = s.stages[s.stage - 1] === undefined ? [] : [stageLine(s, s.stage - 1, room.columns)];
  return [...current, overallLine(s, room.columns)];
}

/** The status line written every few seconds where the output is no terminal: no bars, no escapes. */
export function plainLine(s: ProgressSnapshot): string {
  const p = stagePercent(s);
  return (
    `${stageHead(s)} ${wholePercent(p)}% | Overall ${wholePercent(s.percent)}% | ${ending(s) ?? etaText(s.eta)} | ` +
    `${formatCount(s.pps)} pps | ${formatCount(s.hostsPerMin)} hpm | elapsed ${formatElapsed(s.elapsed)}`
  );
}

/** The style's lines for a snapshot, fitted to `room` (a line never wider than its columns). */
export function styleLines(style: ProgressStyle, s: ProgressSnapshot, colour: boolean, room: Room = UNBOUNDED): string[] {
  switch (style) {
    case "compact":
      return [compactLine(s, room.columns)];
    case "detailed":
      return [detailedLine(s, colour, room.columns)];
    case "bars":
      return barLines(s, room);
  }
}

import type { EtaAccuracy } from "./accuracy.ts";
import type { EtaReading } from "./eta.ts";
import { bar, formatBandwidth, formatCount, formatDuration, wholePercent } from "./format.ts";
import { STAGE_LABELS } from "./stages.ts";
import type { ProgressSnapshot } from "./tracker.ts";

// The line styles. Each takes a snapshot and returns the lines to show, with
// no cursor control: the status display owns the terminal.

export type ProgressStyle = "compact" | "detailed" | "bars";

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
      return `Paused at ${formatDuration(s.elapsed)}`;
    case "completed":
      return `Done in ${formatDuration(s.elapsed)}`;
    case "cancelled":
      return `Cancelled after ${formatDuration(s.elapsed)}`;
    case "running":
      return null;
  }
}

function stageHead(s: ProgressSnapshot): string {
  const stage = s.stages[s.stage - 1];
  return stage === undefined ? "[Stage -/5] Starting" : `[Stage ${s.stage}/5] ${STAGE_LABELS[stage.name]}`;
}

function stagePercent(s: ProgressSnapshot): number {
  return s.status === "completed" ? 100 : (s.stages[s.stage - 1]?.percent ?? 0);
}

/** `[Stage 3/5] Port Scanning ▓▓▓▓▓▓▓▓▓░ 87% | ETA: 3m 24s` */
export function compactLine(s: ProgressSnapshot): string {
  // The scan's percent, not the stage's: one bar that never drops back to 0% at a stage change.
  const p = s.status === "completed" ? 100 : s.percent;
  return `${stageHead(s)} ${bar(p)} ${wholePercent(p)}% | ${ending(s) ?? etaText(s.eta)}`;
}

/** Stage and overall percent, the ETA coloured by how well recent ETAs held, and the rates. */
export function detailedLine(s: ProgressSnapshot, colour: boolean): string {
  const eta = ending(s) ?? paint(etaText(s.eta), ACCURACY_COLOUR[s.accuracy], colour);
  return (
    `${stageHead(s)} ${oneDecimal(stagePercent(s))}% | Overall ${oneDecimal(s.percent)}% | ${eta} | ` +
    `${formatCount(s.pps)} pps | ${formatCount(s.hostsPerMin)} hpm | ${formatBandwidth(s.bandwidthBps)}`
  );
}

/** One line per stage, then `Overall ▓▓▓▓▓░░░░░ 52% | ETA: 3m 24s | 1,240 pps | 42 hpm`. */
export function barLines(s: ProgressSnapshot): string[] {
  const lines = s.stages.map((st, i) => {
    const head = `Stage ${i + 1}: ${STAGE_LABELS[st.name]}`.padEnd(29);
    if (st.state === "skipped") return `${head}skipped`;
    return `${head}${bar(st.percent)} ${String(wholePercent(st.percent)).padStart(3)}%`;
  });
  lines.push(
    `Overall ${bar(s.percent)} ${wholePercent(s.percent)}% | ${ending(s) ?? etaText(s.eta)} | ` +
      `${formatCount(s.pps)} pps | ${formatCount(s.hostsPerMin)} hpm`,
  );
  return lines;
}

/** The status line written every few seconds where the output is no terminal: no bars, no escapes. */
export function plainLine(s: ProgressSnapshot): string {
  const p = stagePercent(s);
  return (
    `${stageHead(s)} ${wholePercent(p)}% | Overall ${wholePercent(s.percent)}% | ${ending(s) ?? etaText(s.eta)} | ` +
    `${formatCount(s.pps)} pps | ${formatCount(s.hostsPerMin)} hpm | elapsed ${formatDuration(s.elapsed)}`
  );
}

export function styleLines(style: ProgressStyle, s: ProgressSnapshot, colour: boolean): string[] {
  switch (style) {
    case "compact":
      return [compactLine(s)];
    case "detailed":
      return [detailedLine(s, colour)];
    case "bars":
      return barLines(s);
  }
}

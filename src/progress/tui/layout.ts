import type { EtaAccuracy } from "../accuracy.ts";
import { bar, formatBandwidth, formatClock, formatCount, formatDuration, wholePercent } from "../format.ts";
import { etaText } from "../render-lines.ts";
import type { PortRow, WarningRow } from "../results.ts";
import { STAGE_LABELS } from "../stages.ts";
import { fitWidth, textWidth } from "../text-width.ts";
import type { ProgressSnapshot } from "../tracker.ts";
import { tone } from "./ansi.ts";
import type { Tone } from "./ansi.ts";
import { sparkline } from "./sparkline.ts";
import { escapeControls } from "../../printable.ts";

export interface DashboardView {
  readonly snapshot: ProgressSnapshot;
  readonly ports: readonly PortRow[];
  readonly warnings: readonly WarningRow[];
  readonly warningTotal: number;
  /** Packets per second, one value per second, oldest first. */
  readonly pps: readonly number[];
  /** Index of the first table row shown. */
  readonly scroll: number;
  readonly help: boolean;
  readonly message: string | null;
  readonly colour: boolean;
}

export interface Frame {
  /** Exactly `rows` lines, each exactly `columns` wide. */
  readonly lines: string[];
  /** Table rows visible: the page for PgUp/PgDn. */
  readonly tableHeight: number;
}

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 14;
const FIXED_TOP = 10; // header, overall, 5 stages, sparkline, table title, column heads

const STATUS_TONE: Record<ProgressSnapshot["status"], Tone> = {
  waiting: "dim",
  running: "green",
  paused: "yellow",
  completed: "cyan",
  cancelled: "red",
};

const ACCURACY_TONE: Record<EtaAccuracy, Tone | null> = {
  "on-track": "green",
  slow: "yellow",
  "very-slow": "red",
  none: null,
};

const SEVERITY_TONE: Record<WarningRow["severity"], Tone> = { low: "dim", medium: "yellow", high: "red" };

export function warningHeight(rows: number): number {
  return rows >= 24 ? 4 : rows >= 18 ? 2 : 0;
}

export function tableHeight(rows: number): number {
  return Math.max(0, rows - FIXED_TOP - warningHeight(rows) - 1);
}

/**
 * The top line. Parts that do not fit are left out, least useful first (the
 * scan id, then the counts), so the elapsed time is never the part cut off:
 * in full it is 82 columns wide, two more than the common 80.
 */
function header(v: DashboardView, columns: number): string {
  const s = v.snapshot;
  const id = s.scanId === null ? "--------" : s.scanId.slice(0, 8);
  const status = s.status.toUpperCase();
  const type = ` │ ${s.scanType ?? "-"}`;
  const counts = ` │ ${formatCount(s.targetCount)} targets × ${formatCount(s.portCount)} ports`;
  const elapsed = ` │ elapsed ${formatClock(s.elapsed)}`;
  const choices = [` │ scan ${id}${type}${counts}`, `${type}${counts}`, type];
  const room = columns - textWidth(` prtip ${status}${elapsed}`);
  const middle = choices.find((c) => textWidth(c) <= room) ?? "";
  return tone(" prtip ", "bold", v.colour) + tone(status, STATUS_TONE[s.status], v.colour) + tone(middle + elapsed, "bold", v.colour);
}

/** Bars are 20 cells where there is room, 10 on an 80-column terminal. */
function barWidth(columns: number): number {
  return columns >= 100 ? 20 : 10;
}

function overall(v: DashboardView, columns: number): string {
  const s = v.snapshot;
  const accuracy = ACCURACY_TONE[s.accuracy];
  const eta = accuracy === null ? etaText(s.eta) : tone(etaText(s.eta), accuracy, v.colour);
  return (
    ` Overall ${bar(s.percent, barWidth(columns))} ${String(wholePercent(s.percent)).padStart(3)}% │ ${eta} │ ` +
    `${formatCount(s.pps)} pps │ ${formatCount(s.hostsPerMin)} hpm │ ${formatBandwidth(s.bandwidthBps)}`
  );
}

function stageLines(v: DashboardView, columns: number): string[] {
  const s = v.snapshot;
  return s.stages.map((st, i) => {
    const mark = st.state === "active" ? "▶" : st.state === "done" ? "✓" : " ";
    const head = `  ${mark} ${i + 1} ${STAGE_LABELS[st.name].padEnd(18)}`;
    if (st.state === "skipped") return tone(`${head}skipped`, "dim", v.colour);
    const time = st.seconds === null ? "" : `  ${formatDuration(st.seconds)}`;
    const eta = st.state === "active" && s.status === "running" ? `  ${etaText(s.stageEta)}` : "";
    return `${head}${bar(st.percent, barWidth(columns))} ${String(wholePercent(st.percent)).padStart(3)}%${time}${eta}`;
  });
}

function ppsLine(v: DashboardView, columns: number): string {
  let peak = 0;
  for (const p of v.pps) if (p > peak) peak = p;
  const width = Math.max(0, Math.min(v.pps.length, columns - 56));
  const s = v.snapshot;
  return (
    ` pps, last 60 s │${sparkline(v.pps.slice(v.pps.length - width))}│ peak ${formatCount(peak)} │ ` +
    `${formatCount(s.hostsUp)} hosts up │ ${formatCount(s.openPorts)} open`
  );
}

function title(text: string, columns: number, colour: boolean): string {
  const line = `─ ${text} `;
  return tone(line + "─".repeat(Math.max(0, columns - line.length)), "bold", colour);
}

function portLines(v: DashboardView, height: number, columns: number): string[] {
  const rows = v.ports.slice(v.scroll, v.scroll + height);
  let tw = 15;
  for (const r of rows) if (r.target.length > tw) tw = Math.min(39, r.target.length);
  const head = ` ${"TARGET".padEnd(tw)} ${"PORT".padStart(5)} PROTO STATE  SERVICE    ${"VERSION".padEnd(24)} BANNER`;
  const lines = [tone(head, "bold", v.colour)];
  for (const r of rows) {
    const state = r.state === "OpenFiltered" ? "open|f" : "open";
    // Service text is what a server (or, in a replay, a log) said: shown, never obeyed by the terminal.
    lines.push(
      ` ${escapeControls(r.target).padEnd(tw)} ${String(r.port).padStart(5)} ${r.protocol.toLowerCase().padEnd(5)} ` +
        `${state.padEnd(6)} ${fitWidth(escapeControls(r.service ?? ""), 10, true)} ${fitWidth(escapeControls(r.version ?? ""), 24, true)} ${escapeControls(r.banner ?? "")}`,
    );
  }
  if (v.ports.length === 0) lines.push(tone("  no open ports yet", "dim", v.colour));
  while (lines.length < height + 1) lines.push("");
  return lines.slice(0, height + 1).map((l) => fitWidth(l, columns));
}

function warningLines(v: DashboardView, height: number, columns: number): string[] {
  if (height === 0) return [];
  const lines = [title(`Warnings (${formatCount(v.warningTotal)})`, columns, v.colour)];
  const shown = v.warnings.slice(Math.max(0, v.warnings.length - (height - 1)));
  for (const w of shown) {
    lines.push(` ${tone(`[${w.severity}]`, SEVERITY_TONE[w.severity], v.colour)} ${w.code}: ${w.message}`);
  }
  if (shown.length === 0) lines.push(tone("  none", "dim", v.colour));
  while (lines.length < height) lines.push("");
  return lines;
}

const HELP_LINES = [
  " Keys",
  "   q            cancel the scan (ScanCancelled; logs are flushed), then leave",
  "                once the scan has ended, leave",
  "   p, space     pause or resume: the engine stops sending while paused",
  "   ↑ ↓  k j     scroll the open-ports table one row",
  "   PgUp PgDn    scroll one page",
  "   Home  g      first row",
  "   End  G       last row, and follow new ports as they arrive",
  "   ?            show or hide this help",
];

function footer(v: DashboardView): string {
  const s = v.snapshot;
  const keys =
    s.status === "completed" || s.status === "cancelled"
      ? " q leave │ ↑↓ PgUp PgDn scroll │ ? help"
      : ` q cancel │ p ${s.status === "paused" ? "resume" : "pause"} │ ↑↓ PgUp PgDn scroll │ ? help`;
  return tone(keys, "inverse", v.colour) + (v.message === null ? "" : `  ${v.message}`);
}

/** The whole screen for one moment. Costs O(rows), whatever the number of ports found. */
export function buildFrame(v: DashboardView, size: { columns: number; rows: number }): Frame {
  const { columns, rows } = size;
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    // Two short lines, so both fit a terminal too narrow for the dashboard.
    const lines = [header(v, columns), " terminal too small:", ` need ${MIN_COLUMNS}x${MIN_ROWS}, have ${columns}x${rows}`];
    while (lines.length < rows) lines.push("");
    return { lines: lines.slice(0, rows).map((l) => fitWidth(l, columns, true)), tableHeight: 0 };
  }
  const th = tableHeight(rows);
  const wh = warningHeight(rows);
  const lines = [header(v, columns), overall(v, columns), ...stageLines(v, columns), ppsLine(v, columns)];
  if (v.help) {
    lines.push(title("Help", columns, v.colour));
    const body = HELP_LINES.slice(0, th + 1);
    while (body.length < th + 1) body.push("");
    lines.push(...body);
  } else {
    const last = Math.min(v.ports.length, v.scroll + th);
    const range = v.ports.length === 0 ? "" : `, ${v.scroll + 1}-${last} shown`;
    lines.push(title(`Open ports (${formatCount(v.ports.length)}${range})`, columns, v.colour));
    lines.push(...portLines(v, th, columns));
  }
  lines.push(...warningLines(v, wh, columns));
  lines.push(footer(v));
  return { lines: lines.map((l) => fitWidth(l, columns, true)), tableHeight: th };
}

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
import type { PortNamer } from "../../scan/index.ts";
import { fitWords, portCells } from "./port-cells.ts";

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
  /** Whether keys are read: without a terminal on standard input only Ctrl-C works. */
  readonly keys?: boolean;
  /** -sV ran: a port name it did not confirm ends in "?", as in the report. */
  readonly serviceScan?: boolean;
  /** The report's port names (nmap's services file where installed). */
  readonly portName?: PortNamer;
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
  const counts = ` │ ${count(s.targetCount, "target")} × ${count(s.portCount, "port")}`;
  const elapsed = ` │ elapsed ${formatClock(s.elapsed)}`;
  const choices = [` │ scan ${id}${type}${counts}`, `${type}${counts}`, type];
  const room = columns - textWidth(` prtip ${status}${elapsed}`);
  const middle = choices.find((c) => textWidth(c) <= room) ?? "";
  return tone(" prtip ", "bold", v.colour) + tone(status, STATUS_TONE[s.status], v.colour) + tone(middle + elapsed, "bold", v.colour);
}

function count(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * A line of fields that never cuts a field in two: `head` always, then the
 * optional `parts` (each with its leading separator) in their order, leaving
 * out the least important (highest `drop`) until the line fits.
 */
function fields(head: string, parts: readonly { text: string; drop: number }[], columns: number): string {
  const kept = [...parts];
  const width = () => textWidth(head) + kept.reduce((w, p) => w + textWidth(p.text), 0);
  while (kept.length > 0 && width() > columns) {
    let worst = 0;
    for (let i = 1; i < kept.length; i++) if (kept[i]!.drop > kept[worst]!.drop) worst = i;
    kept.splice(worst, 1);
  }
  return head + kept.map((p) => p.text).join("");
}

/** Bars are 20 cells where there is room, 10 on an 80-column terminal, 6 below 60 columns. */
function barWidth(columns: number): number {
  return columns >= 100 ? 20 : columns >= 60 ? 10 : 6;
}

/**
 * Elapsed times floor, as the header's clock does: a stage never shows "11s"
 * beside "elapsed 0:10". (ETAs, which say what is left, still round up.)
 */
function elapsedText(seconds: number): string {
  return formatDuration(Math.floor(seconds));
}

function overall(v: DashboardView, columns: number): string {
  const s = v.snapshot;
  const accuracy = ACCURACY_TONE[s.accuracy];
  const eta = accuracy === null ? etaText(s.eta) : tone(etaText(s.eta), accuracy, v.colour);
  const head = ` Overall ${bar(s.percent, barWidth(columns))} ${String(wholePercent(s.percent)).padStart(3)}%`;
  return fields(
    head,
    [
      { text: ` │ ${eta}`, drop: 0 },
      { text: ` │ ${formatCount(s.pps)} pps`, drop: 1 },
      { text: ` │ ${formatCount(s.hostsPerMin)} hpm`, drop: 2 },
      { text: ` │ ${formatBandwidth(s.bandwidthBps)}`, drop: 3 },
    ],
    columns,
  );
}

function stageLines(v: DashboardView, columns: number): string[] {
  const s = v.snapshot;
  return s.stages.map((st, i) => {
    const mark = st.state === "active" ? "▶" : st.state === "done" ? "✓" : " ";
    const head = `  ${mark} ${i + 1} ${STAGE_LABELS[st.name].padEnd(18)}`;
    if (st.state === "skipped") return tone(`${head}skipped`, "dim", v.colour);
    const parts = [];
    if (st.seconds !== null) parts.push({ text: `  ${elapsedText(st.seconds)}`, drop: 1 });
    if (st.state === "active" && s.status === "running") parts.push({ text: `  ${etaText(s.stageEta)}`, drop: 0 });
    return fields(`${head}${bar(st.percent, barWidth(columns))} ${String(wholePercent(st.percent)).padStart(3)}%`, parts, columns);
  });
}

/** Below this many cells the sparkline says nothing: it is left out instead. */
const MIN_SPARKLINE = 10;

/** The sparkline takes what the counts leave; it goes first, the open-port count last. */
function ppsLine(v: DashboardView, columns: number): string {
  let peak = 0;
  for (const p of v.pps) if (p > peak) peak = p;
  const s = v.snapshot;
  const counts = fields(
    "",
    [
      { text: ` │ peak ${formatCount(peak)} pps`, drop: 2 },
      { text: ` │ ${count(s.hostsUp, "host")} up`, drop: 1 },
      { text: ` │ ${formatCount(s.openPorts)} open`, drop: 0 },
    ],
    columns - 1,
  );
  const label = " pps, last 60 s │";
  const room = Math.min(v.pps.length, columns - textWidth(label) - 1 - textWidth(counts));
  if (room < MIN_SPARKLINE) return ` ${counts.slice(3)}`;
  return `${label}${sparkline(v.pps.slice(v.pps.length - room))}│${counts.slice(2)}`;
}

function title(text: string, columns: number, colour: boolean): string {
  const line = `─ ${text} `;
  return tone(line + "─".repeat(Math.max(0, columns - line.length)), "bold", colour);
}

/**
 * The visible rows only, so a frame costs the same for 5 open ports or 50,000.
 * SERVICE and VERSION are as wide as the longest visible (capped); a version
 * too long is cut between words, never inside a version number.
 */
function portLines(v: DashboardView, height: number, columns: number): string[] {
  const rows = v.ports.slice(v.scroll, v.scroll + height);
  const cells = rows.map((r) => portCells(r, v.serviceScan === true, v.portName));
  let tw = 15;
  for (const r of rows) if (r.target.length > tw) tw = Math.min(39, r.target.length);
  let sw = 7;
  let vw = 7;
  for (const c of cells) {
    sw = Math.max(sw, Math.min(20, textWidth(c.service)));
    vw = Math.max(vw, Math.min(32, textWidth(c.version)));
  }
  const head = ` ${"TARGET".padEnd(tw)} ${"PORT".padStart(5)} PROTO STATE  ${"SERVICE".padEnd(sw)} ${"VERSION".padEnd(vw)} BANNER`;
  const lines = [tone(head, "bold", v.colour)];
  rows.forEach((r, i) => {
    const c = cells[i]!;
    const state = r.state === "OpenFiltered" ? "open|f" : "open";
    lines.push(
      ` ${escapeControls(r.target).padEnd(tw)} ${String(r.port).padStart(5)} ${r.protocol.toLowerCase().padEnd(5)} ` +
        `${state.padEnd(6)} ${fitWidth(fitWords(c.service, sw), sw, true)} ${fitWidth(fitWords(c.version, vw), vw, true)} ${c.banner}`,
    );
  });
  if (v.ports.length === 0) lines.push(tone("  no open ports yet", "dim", v.colour));
  while (lines.length < height + 1) lines.push("");
  return lines.slice(0, height + 1).map((l) => fitWidth(l, columns));
}

function warningLines(v: DashboardView, height: number, columns: number): string[] {
  if (height === 0) return [];
  const lines = [title(`Warnings (${formatCount(v.warningTotal)})`, columns, v.colour)];
  const shown = v.warnings.slice(Math.max(0, v.warnings.length - (height - 1)));
  for (const w of shown) {
    const code = w.code === "" ? "" : `${w.code}: `;
    lines.push(` ${tone(`[${w.severity}]`, SEVERITY_TONE[w.severity], v.colour)} ${code}${w.message}`);
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

/** The keys that work now; the scroll keys go first when the line is short, then help. */
function footer(v: DashboardView, columns: number): string {
  const s = v.snapshot;
  const message = v.message === null ? "" : `  ${v.message}`;
  if (v.keys === false) {
    // Nothing reads keys (standard input is not a terminal): only Ctrl-C, and the screen leaves by itself.
    const keys = fields(" Ctrl-C cancel", [{ text: " │ keys off: standard input is not a terminal", drop: 0 }], columns - textWidth(message));
    return tone(keys, "inverse", v.colour) + message;
  }
  const ended = s.status === "completed" || s.status === "cancelled";
  const parts = ended ? [] : [{ text: ` │ p ${s.status === "paused" ? "resume" : "pause"}`, drop: 0 }];
  parts.push({ text: " │ ↑↓ PgUp PgDn scroll", drop: 2 }, { text: " │ ? help", drop: 1 });
  const keys = fields(ended ? " q leave" : " q cancel", parts, columns - textWidth(message));
  return tone(keys, "inverse", v.colour) + message;
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
  lines.push(footer(v, columns));
  return { lines: lines.map((l) => fitWidth(l, columns, true)), tableHeight: th };
}

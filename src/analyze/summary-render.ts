import { isoTime, parseIsoTime } from "../events/index.ts";
import { escapeControls } from "../printable.ts";
import type { LogSummary, ScanSummary } from "./summary.ts";

export type SummaryFormat = "table" | "json" | "markdown";

function fmtNum(n: number | null, digits = 1): string {
  return n === null ? "-" : Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

/**
 * A time of the log as the text shows it: UTC with Z, to the millisecond, as replay
 * prints its events (`14:07:39.798Z`) and as --since takes it back. A hand-written
 * line may carry +01:00 or nine decimals; --json keeps the log's own text.
 */
function utc(text: string | null): string {
  if (text === null) return "-";
  const ms = parseIsoTime(text);
  return Number.isNaN(ms) ? text : isoTime(ms);
}

/** A counted total, with ScanCompleted's own beside it when they differ (lines missing from the log). */
function counted(n: number, reported: number | null | undefined): string {
  return reported === null || reported === undefined || reported === n ? String(n) : `${n} counted (ScanCompleted says ${reported})`;
}

/** What the log lacks of this scan: its start, files of the set, events (seq gaps); null when nothing. */
function partial(s: ScanSummary): string | null {
  const missing = s.missingFiles.length > 0 ? `${s.missingFiles.join(", ")} missing` : null;
  if (s.startsMidScan) return `log starts mid-scan (${missing ?? "no ScanStarted"})`;
  return missing;
}

function facts(s: ScanSummary): [string, string][] {
  const gaps = partial(s);
  return [
    ["scan", s.scanId],
    ["type", s.scanTypes.length > 0 ? s.scanTypes.join(" + ") : "-"],
    ["status", s.cutShortAt === null ? s.status : `${s.status} (log restarted at ${s.cutShortAt})`],
    ...(gaps === null ? [] : [["partial", gaps] as [string, string]]),
    ...(s.missingEvents === 0 ? [] : [["missing events", `${s.missingEvents} (gaps in seq)`] as [string, string]]),
    ["start", utc(s.start)],
    ["end", utc(s.end)],
    ["duration", s.durationSeconds === null ? "-" : `${fmtNum(s.durationSeconds, 3)} s`],
    ["targets", fmtNum(s.targets)],
    ["hosts up", counted(s.hostsUp, s.completedTotals?.hostsUp)],
    ["open ports", counted(s.openPorts, s.completedTotals?.openPorts)],
    ["retries", String(s.retries)],
    ["rate-limit hits", String(s.rateLimitHits)],
    ["pps mean while sending / peak", `${fmtNum(s.meanPps)} / ${fmtNum(s.peakPps)}`],
  ];
}

// Every name and value here comes from the log, which anyone may have written: shown, never obeyed by the terminal.
function pairs(title: string, raw: [string, string][], indent = "  "): string {
  if (raw.length === 0) return "";
  const entries = raw.map(([k, v]) => [escapeControls(k), escapeControls(v)] as const);
  const width = Math.max(...entries.map(([k]) => k.length));
  return `${title}\n` + entries.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}

function hostPorts(s: ScanSummary, max: number): [string, string][] {
  const hosts = Object.entries(s.openPortsByHost);
  const shown: [string, string][] = hosts.slice(0, max).map(([h, ports]) => [h, ports.join(", ")]);
  if (hosts.length > max) shown.push(["...", `${hosts.length - max} more hosts (--json lists all)`]);
  return shown;
}

function tableOf(s: ScanSummary): string {
  return [
    pairs("SCAN", facts(s)),
    pairs("OPEN PORTS BY HOST", hostPorts(s, 50)),
    pairs("TOP OPEN PORTS (hosts)", s.topOpenPorts.map((p) => [String(p.port), String(p.hosts)])),
    pairs("SERVICES", s.services.slice(0, 50).map((v) => [`${v.host}:${v.port}`, `${v.service}${v.version ? " " + v.version : ""}`])),
    pairs("EVENTS", Object.entries(s.eventCounts).map(([k, v]) => [k, String(v)])),
    pairs("WARNINGS BY CODE", Object.entries(s.warningsByCode).map(([k, v]) => [k, String(v)])),
  ]
    .filter((part) => part !== "")
    .join("");
}

function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return "";
  const esc = (c: string) => escapeControls(c).replace(/\|/g, "\\|");
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n") + "\n\n";
}

function markdownOf(s: ScanSummary): string {
  return (
    `## Scan ${s.scanId}\n\n` +
    mdTable(["", ""], facts(s).slice(1)) +
    (s.openPorts > 0 ? "### Open ports by host\n\n" + mdTable(["host", "ports"], hostPorts(s, 200)) : "") +
    (s.topOpenPorts.length > 0 ? "### Top open ports\n\n" + mdTable(["port", "hosts"], s.topOpenPorts.map((p) => [String(p.port), String(p.hosts)])) : "") +
    (s.services.length > 0
      ? "### Services\n\n" + mdTable(["host", "port", "service", "version"], s.services.map((v) => [v.host, String(v.port), v.service, v.version ?? ""]))
      : "") +
    "### Events\n\n" +
    mdTable(["event", "count"], Object.entries(s.eventCounts).map(([k, v]) => [k, String(v)])) +
    (Object.keys(s.warningsByCode).length > 0
      ? "### Warnings by code\n\n" + mdTable(["code", "count"], Object.entries(s.warningsByCode).map(([k, v]) => [k, String(v)]))
      : "")
  );
}

/**
 * Renders scans one at a time as they are summarised, so nothing waits for the
 * whole log: `scan()` for each, then `end()` with what only the end knows.
 */
export class SummaryPrinter {
  private count = 0;
  constructor(private readonly format: SummaryFormat) {}

  scan(s: ScanSummary): string {
    const first = this.count++ === 0;
    switch (this.format) {
      case "json":
        // One scan per line: indenting thousands of port entries costs memory and helps no one.
        return (first ? '{"scans":[\n' : ",\n") + JSON.stringify(s);
      case "markdown":
        return markdownOf(s);
      case "table":
        return (first ? "" : "\n") + tableOf(s);
    }
  }

  end(summary: Pick<LogSummary, "events" | "complete" | "lostEvents">): string {
    if (this.format === "json") {
      const head = this.count === 0 ? '{"scans":[' : "\n";
      return `${head}],"events":${summary.events},"complete":${summary.complete},"lostEvents":${summary.lostEvents}}\n`;
    }
    const lost = summary.lostEvents === 0 ? "" : `log_ended reports ${summary.lostEvents} events lost (not written: disk full?)\n`;
    const note = (summary.complete ? "" : "log incomplete: no log_ended line (cut short?)\n") + lost;
    const empty = this.count === 0 ? "no scans in this log\n" : "";
    if (this.format === "markdown") return empty + (note ? `\n> ${note}` : "");
    return empty + (note && this.count > 0 ? "\n" : "") + note;
  }
}

export function renderSummary(summary: LogSummary, format: SummaryFormat): string {
  const printer = new SummaryPrinter(format);
  return summary.scans.map((s) => printer.scan(s)).join("") + printer.end(summary);
}

import type { AnyEvent, EventBus, PortFields, Unsubscribe } from "../events/index.ts";
import type { HostReport, PortEntry, ResultCollector } from "./collector.ts";
import { hostReason, reasonWord, stateWord } from "./port-words.ts";
import { splitShown } from "./shown-ports.ts";
import { type OutputMeta, type TextSink, ctime, plural, shortTime } from "./meta.ts";
import { normalScript } from "./scripts.ts";
import { portVersion, serviceColumn, versionText } from "./service-text.ts";
import { serviceInfoLine } from "./service-info.ts";

/** States with more ports than this are summarised in a "Not shown" line, as nmap does. */
const SHOW_LIMIT = 25;

function pad(text: string, width: number): string {
  return text.length >= width ? text + " " : text.padEnd(width);
}

export function formatHost(h: HostReport, meta: OutputMeta, scanType: string | undefined): string {
  // nmap shows reasons with --reason, and at -vv without it.
  const withReason = meta.reason === true || meta.verbosity >= 2;
  let out = `prtip scan report for ${h.label}\n`;
  const received = withReason ? `, received ${hostReason(h.address, h.discoveredBy)}` : "";
  out += h.latencyMs === null ? `Host is up${received}.\n` : `Host is up${received} (${(h.latencyMs / 1000).toFixed(4)}s latency).\n`;
  // --host-timeout: nmap's line instead of the ports, with no blank line after it.
  if (h.timedOut) return out + `Skipping host ${h.label} due to host timeout\n`;
  const total = h.portCount;
  // A host without ports (-sn) is two lines, no blank line after, as nmap lists them.
  if (total === 0) return out + osLines(h);
  const { shown, hidden } = splitShown(h, SHOW_LIMIT, meta.openOnly);
  // One entry per state and protocol: "34 closed udp ports (port-unreach), 33 closed tcp ports (reset)".
  const notShown = hidden.flatMap((c) =>
    c.byProtocol.map(
      (part) => `${plural(part.count, `${stateWord(c.state)} ${part.protocol.toLowerCase()} port`, `${stateWord(c.state)} ${part.protocol.toLowerCase()} ports`)} (${reasonWord(part.reason, scanType, c.state)})`,
    ),
  );
  if (shown.length === 0) {
    out += `All ${total} scanned ports on ${h.label} are in ignored states.\n`;
  }
  if (notShown.length > 0) out += `Not shown: ${notShown.join(", ")}\n`;
  if (shown.length > 0) out += portTable(h, shown, meta, scanType, withReason, notShown.length === 0);
  return out + osLines(h) + serviceInfoLine(h, shown) + "\n";
}

/**
 * PORT STATE SERVICE [REASON] [VERSION], each column as wide as its longest cell
 * plus one. nmap puts a blank line above the header when no "Not shown" line does.
 */
function portTable(h: HostReport, shown: readonly PortEntry[], meta: OutputMeta, scanType: string | undefined, withReason: boolean, blankAbove: boolean): string {
  const serviceScan = meta.serviceScan === true;
  const rows = shown.map((p) => {
    const svc = h.service(p.port, p.protocol);
    return {
      port: `${p.port}/${p.protocol.toLowerCase()}`,
      state: stateWord(p.state),
      service: serviceColumn(svc, p.port, p.protocol, p.state, serviceScan, meta.portName),
      reason: reasonWord(p.reason, scanType, p.state),
      version: versionText(portVersion(h, p.port, p.protocol)),
      // nmap shows banner and ssl-cert only when those scripts run; prtip shows them with -v (always in -oX/-oJ).
      scripts: meta.verbosity > 0 ? h.scripts(p.port, p.protocol) : [],
    };
  });
  // As nmap: VERSION whenever -sV ran (a replayed log knows only whether a row has one).
  const withVersion = serviceScan || rows.some((r) => r.version !== "");
  const columns: { head: string; cell: (r: (typeof rows)[number]) => string }[] = [
    { head: "PORT", cell: (r) => r.port },
    { head: "STATE", cell: (r) => r.state },
    { head: "SERVICE", cell: (r) => r.service },
  ];
  if (withReason) columns.push({ head: "REASON", cell: (r) => r.reason });
  if (withVersion) columns.push({ head: "VERSION", cell: (r) => r.version });
  const widths = columns.map((c) => Math.max(c.head.length + 1, ...rows.map((r) => c.cell(r).length + 1)));
  const line = (cells: string[]) => cells.map((text, i) => (i === cells.length - 1 ? text : pad(text, widths[i]!))).join("").trimEnd() + "\n";
  let out = blankAbove ? "\n" : "";
  out += line(columns.map((c) => c.head));
  for (const r of rows) {
    out += line(columns.map((c) => c.cell(r)));
    for (const script of r.scripts) out += normalScript(script);
  }
  return out;
}

/** -O's verdict, after the port table as nmap puts it; nothing when -O was not asked. */
function osLines(h: HostReport): string {
  if (!h.os) return "";
  const name = h.osName;
  return name === null ? "No exact OS matches for host (OS: Unknown).\n" : `OS details: ${name} (confidence ${h.os.confidence}%)\n`;
}

/**
 * nmap's human-readable report (stdout and -oN): a header when the scan starts,
 * "Discovered open port" lines as they come with -v, one block per host and a
 * summary line when it ends.
 */
export class NormalWriter {
  constructor(
    private readonly sink: TextSink,
    private readonly meta: OutputMeta,
    private readonly results: ResultCollector,
    /** -oN files start with the command line, as nmap's do. */
    private readonly withCommandLine: boolean,
  ) {}

  handle = (e: AnyEvent): void => {
    if (e.event === "ScanStarted") {
      // As nmap: the terminal gets "2026-12-06 09:51 UTC", the -oN file's comment lines ctime's text.
      const at = e.timestamp as number;
      if (this.withCommandLine) this.sink.write(`# prtip ${this.meta.version} scan initiated ${ctime(at)} as: ${this.meta.commandLine}\n`);
      else if (!this.meta.quiet) this.sink.write(`Starting prtip ${this.meta.version} at ${shortTime(at)}\n`);
    } else if ((e.event === "PortFound" || e.event === "IPv6PortFound") && this.meta.verbosity > 0) {
      const p = e as unknown as PortFields;
      if (p.state === "Open") this.sink.write(`Discovered open port ${p.port}/${p.protocol.toLowerCase()} on ${p.target}\n`);
    } else if (e.event === "ScanCompleted" || e.event === "ScanCancelled") {
      this.finish(e);
    }
  };

  private finish(e: AnyEvent): void {
    const scanType = this.results.started?.scan_type;
    let out = "";
    for (const h of this.results.reports(this.meta.openOnly)) out += formatHost(h, this.meta, scanType);
    if (e.event === "ScanCancelled") {
      // The event keeps the schema's value ("user_requested", the dashboard's q); people read words.
      const why = e.reason === "user_requested" ? " by the user" : `: ${String(e.reason)}`;
      out += `prtip cancelled${why}; results above are partial\n`;
    } else if (this.withCommandLine || !this.meta.quiet) {
      // -q keeps the terminal to results: the -oN file still ends with its summary.
      const c = this.results.completed!;
      const prefix = this.withCommandLine ? `# prtip done at ${ctime(e.timestamp as number)} --` : "prtip done:";
      out += `${prefix} ${plural(c.targets_scanned, "IP address", "IP addresses")} (${plural(c.hosts_up, "host", "hosts")} up) scanned in ${c.duration.toFixed(2)} seconds\n`;
    }
    this.sink.write(out);
  }

  attach(bus: EventBus): Unsubscribe {
    // Port results matter here only for -v's "Discovered open port" lines: otherwise no call per port.
    const ports = this.meta.verbosity > 0 ? (["PortFound", "IPv6PortFound"] as const) : [];
    return bus.on({ types: ["ScanStarted", ...ports, "ScanCompleted", "ScanCancelled"] }, this.handle, "normal-output");
  }
}

import type { AnyEvent, EventBus, PortFields, Unsubscribe } from "../events/index.ts";
import { serviceName } from "../scan/index.ts";
import type { HostReport, ResultCollector } from "./collector.ts";
import { reasonWord, stateWord } from "./port-words.ts";
import { splitShown } from "./shown-ports.ts";
import { type OutputMeta, type TextSink, ctime, plural, shortTime } from "./meta.ts";
import { normalScript } from "./scripts.ts";
import { versionText } from "./service-text.ts";

/** States with more ports than this are summarised in a "Not shown" line, as nmap does. */
const SHOW_LIMIT = 25;

function pad(text: string, width: number): string {
  return text.length >= width ? text + " " : text.padEnd(width);
}

export function formatHost(h: HostReport, meta: OutputMeta, scanType: string | undefined): string {
  let out = `prtip scan report for ${h.label}\n`;
  out += h.latencyMs === null ? "Host is up.\n" : `Host is up (${(h.latencyMs / 1000).toFixed(4)}s latency).\n`;
  const total = h.portCount;
  if (total === 0) return out + osLines(h) + "\n";
  const { shown, hidden } = splitShown(h, SHOW_LIMIT, meta.openOnly);
  // One entry per state and protocol: "34 closed udp ports (port-unreach), 33 closed tcp ports (reset)".
  const notShown = hidden.flatMap((c) =>
    c.byProtocol.map((part) => `${part.count} ${stateWord(c.state)} ${part.protocol.toLowerCase()} ports (${reasonWord(part.reason, scanType, c.state)})`),
  );
  if (shown.length === 0) {
    out += `All ${total} scanned ports on ${h.label} are in ignored states.\n`;
  }
  if (notShown.length > 0) out += `Not shown: ${notShown.join(", ")}\n`;
  if (shown.length > 0) {
    const rows = shown.map((p) => {
      const svc = h.service(p.port, p.protocol);
      const name = svc ? svc.service.toLowerCase() : serviceName(p.port, p.protocol);
      return [`${p.port}/${p.protocol.toLowerCase()}`, stateWord(p.state), name, versionText(svc), h.scripts(p.port, p.protocol)] as const;
    });
    const w0 = Math.max(5, ...rows.map((r) => r[0].length + 1));
    const w1 = Math.max(6, ...rows.map((r) => r[1].length + 1));
    const withVersion = rows.some((r) => r[3] !== "");
    const w2 = Math.max(8, ...rows.map((r) => r[2].length + 1));
    out += pad("PORT", w0) + pad("STATE", w1) + (withVersion ? pad("SERVICE", w2) + "VERSION" : "SERVICE") + "\n";
    for (const r of rows) {
      out += (pad(r[0], w0) + pad(r[1], w1) + (withVersion ? pad(r[2], w2) + r[3] : r[2])).trimEnd() + "\n";
      for (const script of r[4]) out += normalScript(script);
    }
  }
  return out + osLines(h) + "\n";
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
      const head = this.withCommandLine
        ? `# prtip ${this.meta.version} scan initiated ${ctime(at)} as: ${this.meta.commandLine}\n`
        : `Starting prtip ${this.meta.version} at ${shortTime(at)}\n`;
      this.sink.write(head);
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
      out += `prtip cancelled: ${String(e.reason)}; results above are partial\n`;
    } else {
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

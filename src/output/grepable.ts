import type { AnyEvent, EventBus, Unsubscribe } from "../events/index.ts";
import type { HostReport, ResultCollector } from "./collector.ts";
import { openish, stateWord } from "./port-words.ts";
import { type OutputMeta, type TextSink, ctime, plural } from "./meta.ts";
import { oneLine } from "./scripts.ts";
import type { PortNamer } from "../scan/index.ts";
import { portVersion, serviceColumn, versionText } from "./service-text.ts";

// nmap's grepable format (-oG): one "Host:" line for status and one for ports,
// tab-separated fields, ports as port/state/protocol/owner/service/rpc/version/,
// and -O's guess as the OS field of the ports line. nmap has no grepable form
// for script results, so banners and certificates are left to -oX/-oJ: a host
// has nmap's two records, which is what grep and awk over -oG count on.

/** `/` and `,` separate fields inside a port entry, so nmap replaces them. */
function clean(text: string): string {
  return text.replace(/[/,]/g, "|");
}

export function grepableHost(h: HostReport, openOnly = false, serviceScan = false, portName?: PortNamer): string {
  const head = `Host: ${h.address} (${h.hostname ?? ""})\t`;
  let out = `${head}Status: Up\n`;
  // --host-timeout: a second status line, as nmap writes, and nothing of the ports.
  if (h.timedOut) return `${out}${head}Status: Timeout\n`;
  const os = h.osName === null ? "" : `OS: ${oneLine(h.osName)}`;
  if (h.portCount === 0) return os === "" ? out : `${out}${head}${os}\n`;
  // The single most common non-open state is left out and counted, as nmap does; its ports are never built one by one.
  const ignored = [...h.stateCounts().entries()].filter(([s]) => s !== "Open").sort((a, b) => b[1] - a[1])[0];
  const ignoredState = ignored && ignored[1] > 25 ? ignored[0] : null;
  const ports = h.entries((state) => (openOnly ? openish(state) : state !== ignoredState));
  const entries = ports.map((p) => {
    const svc = h.service(p.port, p.protocol);
    const name = serviceColumn(svc, p.port, p.protocol, p.state, serviceScan, portName);
    const version = clean(oneLine(versionText(portVersion(h, p.port, p.protocol))));
    return `${p.port}/${stateWord(p.state)}/${p.protocol.toLowerCase()}//${clean(name)}//${version}/`;
  });
  out += `${head}Ports: ${entries.join(", ")}`;
  if (ignoredState !== null) out += `\tIgnored State: ${stateWord(ignoredState)} (${ignored![1]})`;
  if (os !== "") out += `\t${os}`;
  return out + "\n";
}

export class GrepableWriter {
  constructor(
    private readonly sink: TextSink,
    private readonly meta: OutputMeta,
    private readonly results: ResultCollector,
  ) {}

  handle = (e: AnyEvent): void => {
    if (e.event === "ScanStarted") {
      this.sink.write(`# prtip ${this.meta.version} scan initiated ${ctime(e.timestamp as number)} as: ${this.meta.commandLine}\n`);
      return;
    }
    let out = "";
    for (const h of this.results.reports(this.meta.openOnly)) out += grepableHost(h, this.meta.openOnly, this.meta.serviceScan, this.meta.portName);
    const at = e.timestamp as number;
    const c = this.results.completed;
    const scanned = c ? c.targets_scanned : this.results.hostCount;
    const up = c ? c.hosts_up : this.results.hostCount;
    const took = this.results.elapsedSeconds(at).toFixed(2);
    // nmap writes no trailer when interrupted; the comment line says so instead of "done".
    const ended = e.event === "ScanCancelled" ? `cancelled (${oneLine(String(e.reason))})` : "done";
    out += `# prtip ${ended} at ${ctime(at)} -- ${plural(scanned, "IP address", "IP addresses")} (${plural(up, "host", "hosts")} up) scanned in ${took} seconds\n`;
    this.sink.write(out);
  };

  attach(bus: EventBus): Unsubscribe {
    return bus.on({ types: ["ScanStarted", "ScanCompleted", "ScanCancelled"] }, this.handle, "grepable-output");
  }
}

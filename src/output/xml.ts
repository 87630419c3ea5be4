import type { AnyEvent, EventBus, Unsubscribe } from "../events/index.ts";
import { type PortNamer, serviceName } from "../scan/index.ts";
import type { HostReport, ResultCollector } from "./collector.ts";
import { hostReason, reasonWord, stateWord } from "./port-words.ts";
import { splitShown } from "./shown-ports.ts";
import { type OutputMeta, type TextSink, ctime, plural, portRanges } from "./meta.ts";
import type { ScriptResult } from "./scripts.ts";
import { isTableGuess, portVersion, tlsInner } from "./service-text.ts";

// nmap's XML format (-oX), valid against nmap.dtd so ndiff, nmap.xsl and the
// many tools that read nmap XML read ours. The DTD only allows scanner="nmap";
// the args attribute and the comment say who wrote it.

export function escapeXml(text: string): string {
  // Line breaks and tabs as character references: raw, a parser turns them into spaces in attributes.
  return text.replace(/[<>&"'\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "");
}

const attr = (name: string, value: string | number) => ` ${name}="${escapeXml(String(value))}"`;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** Ports are collapsed into <extraports> past this many of one state, like the normal output. */
const SHOW_LIMIT = 25;

export function xmlHost(h: HostReport, scanType: string | undefined, openOnly = false, portName: PortNamer = serviceName): string {
  // --host-timeout: timedout="true" and no <ports> or <os>, as nmap writes a host it gave up on.
  let out = `<host${attr("starttime", seconds(h.firstSeen))}${attr("endtime", seconds(h.lastSeen))}${h.timedOut ? ' timedout="true"' : ""}>`;
  const upReason = hostReason(h.address, h.discoveredBy);
  out += `<status state="up"${attr("reason", upReason)} reason_ttl="0"/>\n`;
  out += `<address${attr("addr", h.address)}${attr("addrtype", h.family === 4 ? "ipv4" : "ipv6")}/>\n<hostnames>\n${hostnameXml(h)}</hostnames>\n`;
  if (h.portCount > 0 && !h.timedOut) {
    const { shown, hidden } = splitShown(h, SHOW_LIMIT, openOnly);
    out += "<ports>";
    for (const c of hidden) {
      out += `<extraports${attr("state", stateWord(c.state))}${attr("count", c.count)}>\n`;
      for (const part of c.byProtocol) {
        out += `<extrareasons${attr("reason", reasonWord(part.reason, scanType, c.state))}${attr("count", part.count)}${attr("proto", part.protocol.toLowerCase())}${attr("ports", portRanges(part.ports()))}/>\n`;
      }
      out += "</extraports>\n";
    }
    for (const p of shown) {
      const svc = h.service(p.port, p.protocol);
      out += `<port${attr("protocol", p.protocol.toLowerCase())}${attr("portid", p.port)}>`;
      out += `<state${attr("state", stateWord(p.state))}${attr("reason", reasonWord(p.reason, scanType, p.state))} reason_ttl="0"/>`;
      // A name guessed from the port number is nmap's table lookup, whatever service detection tried.
      if (svc && !isTableGuess(svc)) {
        const conf = Math.max(0, Math.min(10, Math.round(svc.confidence / 10)));
        const parts = portVersion(h, p.port, p.protocol);
        const inner = tlsInner(svc);
        const tunnel = inner !== null || (h.certificates.has(p.port) && p.protocol === "Tcp");
        out += `<service${attr("name", inner ?? svc.service.toLowerCase())}`;
        if (parts) {
          if (parts.product !== "") out += attr("product", parts.product);
          if (parts.version !== null) out += attr("version", parts.version);
          if (parts.extrainfo !== null) out += attr("extrainfo", parts.extrainfo);
          if (parts.hostname !== null) out += attr("hostname", parts.hostname);
          if (parts.ostype !== null) out += attr("ostype", parts.ostype);
        }
        // Attribute order as nmap writes it: tunnel before method and conf.
        out += `${tunnel ? ' tunnel="ssl"' : ""} method="probed"${attr("conf", conf)}/>`;
      } else {
        out += `<service${attr("name", svc ? svc.service.toLowerCase() : portName(p.port, p.protocol))} method="table" conf="3"/>`;
      }
      for (const script of h.scripts(p.port, p.protocol)) out += xmlScript(script);
      out += "</port>\n";
    }
    out += "</ports>\n";
  }
  if (h.os && !h.timedOut) {
    const name = h.osName;
    // "Unknown" is no match at all: an empty <os>, as nmap writes when nothing fits.
    out += name === null ? "<os>\n</os>\n" : `<os><osmatch${attr("name", name)}${attr("accuracy", h.os.confidence)} line="0"/>\n</os>\n`;
  }
  if (h.latencyMs !== null) {
    const us = Math.round(h.latencyMs * 1000);
    out += `<times${attr("srtt", us)}${attr("rttvar", us)}${attr("to", Math.max(100_000, us * 4))}/>\n`;
  }
  return out + "</host>\n";
}

/** A name the user gave is nmap's hostname of type "user"; prtip does no reverse lookups (no PTR names). */
function hostnameXml(h: HostReport): string {
  return h.hostname === null ? "" : `<hostname${attr("name", h.hostname)} type="user"/>\n`;
}

/** nmap's script element: the text in `output`, the same facts keyed in <elem>/<table> children. */
function xmlScript(s: ScriptResult): string {
  const output = s.lines.join("\n");
  if (s.elems.length === 0) return `<script${attr("id", s.id)}${attr("output", output)}/>`;
  let out = `<script${attr("id", s.id)}${attr("output", output)}>`;
  for (const e of s.elems) {
    if (typeof e.value === "string") out += `<elem${attr("key", e.key)}>${escapeXml(e.value)}</elem>`;
    else out += `<table${attr("key", e.key)}>${e.value.map((v) => `<elem>${escapeXml(v)}</elem>`).join("")}</table>`;
  }
  return out + "</script>";
}

function scanInfo(type: string, protocol: string, ports: readonly number[]): string {
  return `<scaninfo${attr("type", type)}${attr("protocol", protocol)}${attr("numservices", ports.length)}${attr("services", portRanges(ports))}/>\n`;
}

export class XmlWriter {
  constructor(
    private readonly sink: TextSink,
    private readonly meta: OutputMeta,
    private readonly results: ResultCollector,
  ) {}

  handle = (e: AnyEvent): void => {
    const t = e.timestamp as number;
    if (e.event === "ScanStarted") {
      let out = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n<!-- prtip ${escapeXml(this.meta.version)} scan initiated ${ctime(t)} -->\n`;
      out += `<nmaprun scanner="nmap"${attr("args", this.meta.commandLine)}${attr("start", seconds(t))}${attr("startstr", ctime(t))}${attr("version", `prtip-${this.meta.version}`)} xmloutputversion="1.05">\n`;
      out += scanInfo(this.meta.scanType, this.meta.protocol, this.meta.ports);
      // A combined scan (-sS -sU) has one <scaninfo> per protocol, as nmap writes it.
      if (this.meta.udpPorts) out += scanInfo("udp", "udp", this.meta.udpPorts);
      out += `<verbose${attr("level", this.meta.verbosity)}/>\n<debugging level="0"/>\n`;
      this.sink.write(out);
      return;
    }
    const scanType = this.results.started?.scan_type;
    let out = "";
    for (const h of this.results.reports(this.meta.openOnly)) out += xmlHost(h, scanType, this.meta.openOnly, this.meta.portName);
    const c = this.results.completed;
    const up = c ? c.hosts_up : this.results.hostCount;
    const total = c ? c.targets_scanned : this.results.hostCount;
    const elapsed = this.results.elapsedSeconds(t).toFixed(2);
    const cancelled = e.event === "ScanCancelled";
    // nmap leaves an interrupted scan's XML unterminated; prtip closes it, with exit="error" and the reason.
    const summary = `prtip ${cancelled ? `cancelled (${String(e.reason)})` : "done"} at ${ctime(t)}; ${plural(total, "IP address", "IP addresses")} (${plural(up, "host", "hosts")} up) scanned in ${elapsed} seconds`;
    out += `<runstats><finished${attr("time", seconds(t))}${attr("timestr", ctime(t))}${attr("summary", summary)}${attr("elapsed", elapsed)}${attr("exit", cancelled ? "error" : "success")}${cancelled ? attr("errormsg", String(e.reason)) : ""}/>`;
    out += `<hosts${attr("up", up)}${attr("down", Math.max(0, total - up))}${attr("total", total)}/>\n</runstats>\n</nmaprun>\n`;
    this.sink.write(out);
  };

  attach(bus: EventBus): Unsubscribe {
    return bus.on({ types: ["ScanStarted", "ScanCompleted", "ScanCancelled"] }, this.handle, "xml-output");
  }
}

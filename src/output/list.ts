import { type TextSink, ctime, plural, shortTime } from "./meta.ts";
import { escapeXml } from "./xml.ts";

// The list scan's (-sL) report in each of nmap's formats: a line per target,
// written as it is listed, and nmap's closing line with 0 hosts up (none was
// asked). No events: a list scan has no scan to publish.

export interface ListSinks {
  screen?: TextSink;
  normal?: TextSink;
  grepable?: TextSink;
  xml?: TextSink;
}

export interface ListMeta {
  version: string;
  commandLine: string;
  verbosity: number;
}

const attr = (name: string, value: string | number) => ` ${name}="${escapeXml(String(value))}"`;

export class ListWriter {
  private count = 0;

  constructor(
    private readonly sinks: ListSinks,
    private readonly meta: ListMeta,
  ) {}

  start(epochMs: number): void {
    const { screen, normal, grepable, xml } = this.sinks;
    const initiated = `prtip ${this.meta.version} scan initiated ${ctime(epochMs)}`;
    screen?.write(`Starting prtip ${this.meta.version} at ${shortTime(epochMs)}\n`);
    normal?.write(`# ${initiated} as: ${this.meta.commandLine}\n`);
    grepable?.write(`# ${initiated} as: ${this.meta.commandLine}\n`);
    xml?.write(
      `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n<!-- ${escapeXml(initiated)} -->\n` +
        `<nmaprun scanner="nmap"${attr("args", this.meta.commandLine)}${attr("start", Math.floor(epochMs / 1000))}${attr("startstr", ctime(epochMs))}${attr("version", `prtip-${this.meta.version}`)} xmloutputversion="1.05">\n` +
        `<verbose${attr("level", this.meta.verbosity)}/>\n<debugging level="0"/>\n`,
    );
  }

  host(address: string, name: string | null): void {
    this.count++;
    const { screen, normal, grepable, xml } = this.sinks;
    const report = `prtip scan report for ${name === null ? address : `${name} (${address})`}\n`;
    screen?.write(report);
    normal?.write(report);
    // nmap's -oG leaves a user-given name out here (its parentheses hold reverse-DNS names only).
    grepable?.write(`Host: ${address} ()\tStatus: Unknown\n`);
    if (xml) {
      let out = `<host><status state="unknown" reason="user-set" reason_ttl="0"/>\n<address${attr("addr", address)}${attr("addrtype", address.includes(":") ? "ipv6" : "ipv4")}/>\n`;
      if (name !== null) out += `<hostnames>\n<hostname${attr("name", name)} type="user"/>\n</hostnames>\n`;
      xml.write(out + "</host>\n");
    }
  }

  finish(epochMs: number, elapsedMs: number): void {
    const { screen, normal, grepable, xml } = this.sinks;
    const took = (elapsedMs / 1000).toFixed(2);
    const tally = `${plural(this.count, "IP address", "IP addresses")} (0 hosts up) scanned in ${took} seconds`;
    screen?.write(`prtip done: ${tally}\n`);
    normal?.write(`# prtip done at ${ctime(epochMs)} -- ${tally}\n`);
    grepable?.write(`# prtip done at ${ctime(epochMs)} -- ${tally}\n`);
    xml?.write(
      `<runstats><finished${attr("time", Math.floor(epochMs / 1000))}${attr("timestr", ctime(epochMs))}${attr("summary", `prtip done at ${ctime(epochMs)}; ${tally}`)}${attr("elapsed", took)} exit="success"/>` +
        `<hosts up="0"${attr("down", this.count)}${attr("total", this.count)}/>\n</runstats>\n</nmaprun>\n`,
    );
  }
}

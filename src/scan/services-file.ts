import type { Protocol } from "../events/index.ts";

// nmap's services file (nmap-services): one "name port/proto frequency [# comment]"
// line per port, fields separated by blanks, "#" starting a comment. prtip reads it
// only to name ports its own table has no name for; the file itself stays nmap's.

/** The names a services file gives to TCP and UDP ports. */
export interface ServiceNames {
  /** The file's name for the port, or undefined when it lists none. */
  get(port: number, protocol: Protocol): string | undefined;
  /** How many TCP and UDP ports have a name. */
  readonly size: number;
}

const LINE = /^(\S+)\s+(\d{1,5})\/(tcp|udp)\s+(\d+(?:\.\d*)?|\.\d+)(?:\s|$)/i;

/**
 * The TCP and UDP names in a services file (SCTP's are left out: prtip has no
 * SCTP scan). A line that is not name, port/proto and a frequency is skipped,
 * as is port 0 or above 65535: a damaged line costs its own name, never the
 * rest. Where a port is listed twice for one protocol the more frequent name wins.
 */
export function parseServicesFile(text: string): ServiceNames {
  // Arrays indexed by port rather than a Map keyed "port/proto": about half the
  // parse time of nmap's 27,000 lines, and no key string per lookup.
  const tcp = new Table();
  const udp = new Table();
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (m === null) continue;
    const port = Number(m[2]);
    if (port < 1 || port > 65535) continue;
    (m[3]!.toLowerCase() === "udp" ? udp : tcp).offer(port, m[1]!, Number(m[4]));
  }
  return {
    get: (port, protocol) => (protocol === "Udp" ? udp : tcp).names[port],
    size: tcp.size + udp.size,
  };
}

class Table {
  readonly names: (string | undefined)[] = new Array(65536);
  private readonly frequency = new Float64Array(65536).fill(-1);
  size = 0;

  offer(port: number, name: string, frequency: number): void {
    if (this.frequency[port]! >= frequency) return;
    if (this.names[port] === undefined) this.size++;
    this.names[port] = name;
    this.frequency[port] = frequency;
  }
}

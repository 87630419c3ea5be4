import type {
  AnyEvent,
  BannerGrabbed,
  CertificateFound,
  EventBus,
  OSDetected,
  PortFields,
  PortState,
  ScanCompleted,
  ScanStarted,
  ServiceDetected,
  Unsubscribe,
  WarningIssued,
} from "../events/index.ts";
import { HOST_TIMEOUT_CODE, parseIPv4, parseIPv6, timedOutHost } from "../scan/index.ts";
import { openish } from "./port-words.ts";
import { type ScriptResult, bannerScript, certificateScript } from "./scripts.ts";
import type { CollapsedPart } from "./shown-ports.ts";

// Gathers one scan's results from the bus into per-host reports for the
// writers that need the whole picture (normal, grepable, XML).

export interface PortEntry {
  port: number;
  protocol: PortFields["protocol"];
  state: PortState;
  reason: PortFields["reason"];
}

/**
 * One host's results. Ports are kept as plain numbers grouped by (protocol,
 * state, reason), a few bytes each, so a full-range scan of many hosts fits in
 * memory; `ports` expands one host's entries when a writer asks.
 */
export class HostReport {
  latencyMs: number | null = null;
  /** How host discovery found the host up (HostDiscovered's method); null when it was not probed (-Pn). */
  discoveredBy: string | null = null;
  /** Keyed by "tcp/53", as banners are: a combined scan's 53/tcp and 53/udp each have their own. */
  readonly services = new Map<string, ServiceDetected>();
  /** Keyed by "tcp/22": a UDP and a TCP service may share a number. */
  readonly banners = new Map<string, BannerGrabbed>();
  readonly certificates = new Map<number, CertificateFound>();
  /** The last OS guess for the host (-O); "Unknown" with confidence 0 when no claim was made. */
  os: OSDetected | null = null;
  /** The name the user gave for this host, when it was given as a name. */
  hostname: string | null = null;
  /**
   * Given up on at --host-timeout: the writers show no ports, services or OS
   * for it, as nmap shows none ("Skipping host … due to host timeout").
   */
  timedOut = false;
  // A host has a handful of (protocol, state, reason) groups: a scan over them
  // compares three interned strings per port, where a Map keyed by a joined
  // string built one string per port (12% of the scan thread, bun --cpu-prof of
  // a SYN scan of 234 lab hosts x 5,000 ports, all filtered). Ports are kept two
  // bytes each: a /24 x 65,535 ports is 16.7 M of them.
  private readonly groups: PortGroup[] = [];
  // The group the last port went to: a host's ports mostly come in one state after another.
  private last: PortGroup | null = null;

  constructor(
    readonly address: string,
    /** Epoch ms of the first and last result for this host. */
    public firstSeen: number,
    public lastSeen: number,
  ) {}

  get family(): 4 | 6 {
    return this.address.includes(":") ? 6 : 4;
  }

  /**
   * A port's result. An open UDP port may have been open|filtered first: -sU -sV
   * found it open with a version probe (a second PortFound), and it replaces that
   * row. Only then is anything looked up: every other result is new.
   */
  add(port: number, protocol: PortEntry["protocol"], state: PortState, reason: PortEntry["reason"]): void {
    if (protocol === "Udp" && state === "Open") this.forgetOpenFiltered(port);
    const last = this.last;
    if (last !== null && last.state === state && last.reason === reason && last.protocol === protocol) return last.push(port);
    const groups = this.groups;
    let g: PortGroup | undefined;
    for (let i = 0; i < groups.length && g === undefined; i++) {
      const c = groups[i]!;
      if (c.state === state && c.reason === reason && c.protocol === protocol) g = c;
    }
    if (g === undefined) groups.push((g = new PortGroup(protocol, state, reason)));
    this.last = g;
    g.push(port);
  }

  /** Drops a UDP port's open|filtered row, and its group when that empties (an empty group would show as "Not shown: 0"). */
  private forgetOpenFiltered(port: number): void {
    const groups = this.groups;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (g.protocol !== "Udp" || g.state !== "OpenFiltered" || !g.remove(port)) continue;
      if (g.length === 0) {
        groups.splice(i, 1);
        if (this.last === g) this.last = null;
      }
      return;
    }
  }

  /** Whether any port is open or possibly open (--open lists only such hosts). */
  get hasOpenish(): boolean {
    return this.groups.some((g) => openish(g.state));
  }

  /** How many port results the host has. */
  get portCount(): number {
    let n = 0;
    for (const g of this.groups) n += g.length;
    return n;
  }

  /** Port results per state. */
  stateCounts(): Map<PortState, number> {
    const counts = new Map<PortState, number>();
    for (const g of this.groups) counts.set(g.state, (counts.get(g.state) ?? 0) + g.length);
    return counts;
  }

  /** The service found on one port of one protocol (-sV). */
  service(port: number, protocol: PortFields["protocol"]): ServiceDetected | undefined {
    return this.services.get(`${protocol.toLowerCase()}/${port}`);
  }

  /** The port results whose state `keep` accepts, TCP before UDP as nmap lists them, each in port order; the others are never built. */
  entries(keep: (state: PortState) => boolean = () => true): PortEntry[] {
    const out: PortEntry[] = [];
    for (const g of this.groups) {
      if (!keep(g.state)) continue;
      const { protocol, state, reason } = g;
      g.forEach((port) => out.push({ port, protocol, state, reason }));
    }
    return out.sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol === "Tcp" ? -1 : 1));
  }

  /**
   * One state's port count, lowest port and its protocol, and most frequent
   * reason ("Not shown: 1022 closed tcp ports (conn-refused)"); its ports in
   * order only when asked (XML's extrareasons names them).
   */
  collapsed(state: PortState): { count: number; lowest: number; protocol: PortEntry["protocol"]; reason: PortEntry["reason"]; ports(): number[]; byProtocol: CollapsedPart[] } {
    const groups = this.groups.filter((g) => g.state === state);
    return { ...summarise(groups), byProtocol: byProtocol(groups) };
  }

  /** The banner and certificate results of one port, banner first, as nmap orders its scripts. */
  scripts(port: number, protocol: PortFields["protocol"]): ScriptResult[] {
    const out: ScriptResult[] = [];
    const banner = this.banners.get(`${protocol.toLowerCase()}/${port}`);
    if (banner) out.push(bannerScript(banner));
    const cert = protocol === "Tcp" ? this.certificates.get(port) : undefined;
    if (cert) out.push(certificateScript(cert));
    return out;
  }

  /** "localhost (127.0.0.1)" for a host given by name, as nmap's reports name it; else the address. */
  get label(): string {
    return this.hostname === null ? this.address : `${this.hostname} (${this.address})`;
  }

  /** "Linux 5.x", or null when there is no guess or it is "Unknown". */
  get osName(): string | null {
    if (!this.os || this.os.confidence === 0 || this.os.os === "Unknown") return null;
    return this.os.os_version ? `${this.os.os} ${this.os.os_version}` : this.os.os;
  }

}

/** Port count, lowest port and its protocol, commonest reason, and the ports on demand, of some groups of one state. */
function summarise(groups: readonly PortGroup[]): { count: number; lowest: number; protocol: PortEntry["protocol"]; reason: PortEntry["reason"]; ports(): number[] } {
    const byReason = new Map<PortEntry["reason"], number>();
  let protocol: PortEntry["protocol"] = "Tcp";
  let lowest = Infinity;
  let count = 0;
  for (const g of groups) {
    count += g.length;
    byReason.set(g.reason, (byReason.get(g.reason) ?? 0) + g.length);
    const low = g.min();
    if (low < lowest) {
      lowest = low;
      protocol = g.protocol;
    }
  }
  const reason = [...byReason.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const ports = () => {
    const out: number[] = [];
    for (const g of groups) g.forEach((p) => out.push(p));
    return out.sort((a, b) => a - b);
  };
  return { count, lowest, protocol, reason, ports };
  }

/**
 * One state's groups split by protocol, the larger count first ("Not shown: 34 closed
 * udp ports (port-unreach), 33 closed tcp ports (reset)", as nmap 7.93 writes it), TCP first on a tie.
 */
function byProtocol(groups: readonly PortGroup[]): CollapsedPart[] {
  const parts: CollapsedPart[] = [];
  for (const protocol of ["Tcp", "Udp"] as const) {
    const mine = groups.filter((g) => g.protocol === protocol);
    if (mine.length === 0) continue;
    const { count, reason, ports } = summarise(mine);
    parts.push({ protocol, count, reason, ports });
  }
  return parts.sort((a, b) => b.count - a.count);
}

/** A host's ports of one (protocol, state, reason), in a growable Uint16Array: two bytes each, not a JS array's eight. */
class PortGroup {
  #items = new Uint16Array(16);
  length = 0;

  constructor(
    readonly protocol: PortEntry["protocol"],
    readonly state: PortState,
    readonly reason: PortEntry["reason"],
  ) {}

  push(port: number): void {
    if (this.length === this.#items.length) {
      const bigger = new Uint16Array(this.#items.length * 2);
      bigger.set(this.#items);
      this.#items = bigger;
    }
    this.#items[this.length++] = port;
  }

  /** Takes `port` out (the last port fills its place: order within a group does not matter); false when absent. */
  remove(port: number): boolean {
    const items = this.#items;
    for (let i = 0; i < this.length; i++) {
      if (items[i] !== port) continue;
      items[i] = items[--this.length]!;
      return true;
    }
    return false;
  }

  forEach(fn: (port: number) => void): void {
    const items = this.#items;
    for (let i = 0; i < this.length; i++) fn(items[i]!);
  }

  min(): number {
    let low = Infinity;
    const items = this.#items;
    for (let i = 0; i < this.length; i++) if (items[i]! < low) low = items[i]!;
    return low;
  }
}

/** Which protocol's detector published a ServiceDetected event (see ResultCollector). */
export type ServiceProtocols = WeakMap<ServiceDetected, PortFields["protocol"]>;

const COLLECTED = [
  "ScanStarted",
  "ScanCompleted",
  "ScanCancelled",
  "HostDiscovered",
  "PortFound",
  "IPv6PortFound",
  "ServiceDetected",
  "BannerGrabbed",
  "CertificateFound",
  "OSDetected",
  "WarningIssued",
] as const;

export class ResultCollector {
  started: ScanStarted | null = null;
  completed: ScanCompleted | null = null;
  cancelled = false;
  private readonly hosts = new Map<string, HostReport>();

  constructor(
    private readonly hostnames: ReadonlyMap<string, string> = new Map(),
    /**
     * The protocol of each ServiceDetected, noted by the detector that published it:
     * the event has no protocol field (the schema is a contract), and a combined
     * scan's 53/tcp and 53/udp would otherwise share one service. Without a note
     * the scan's own protocol is meant.
     */
    private readonly serviceProtocols: ServiceProtocols = new WeakMap(),
  ) {}

  host(address: string, at: number): HostReport {
    let h = this.hosts.get(address);
    if (!h) {
      h = new HostReport(address, at, at);
      // Names are resolved in the scan's first stage, before any result names a host.
      h.hostname = this.hostnames.get(address) ?? null;
      this.hosts.set(address, h);
    }
    h.lastSeen = Math.max(h.lastSeen, at);
    return h;
  }

  handle = (e: AnyEvent): void => {
    switch (e.event) {
      case "ScanStarted":
        this.started = e as ScanStarted;
        break;
      case "ScanCompleted":
        this.completed = e as ScanCompleted;
        break;
      case "ScanCancelled":
        this.cancelled = true;
        break;
      case "HostDiscovered": {
        const ip = e.ip as string;
        const h = this.host(ip, e.timestamp as number);
        h.latencyMs = e.latency_ms as number | null;
        h.discoveredBy = e.method as string;
        break;
      }
      case "PortFound":
      case "IPv6PortFound": {
        const p = e as unknown as PortFields & { timestamp: number };
        this.host(p.target, p.timestamp).add(p.port, p.protocol, p.state, p.reason);
        break;
      }
      case "ServiceDetected": {
        const s = e as ServiceDetected;
        const protocol = this.serviceProtocols.get(s) ?? (this.started?.scan_type === "Udp" ? "Udp" : "Tcp");
        this.host(s.target, s.timestamp).services.set(`${protocol.toLowerCase()}/${s.port}`, s);
        break;
      }
      case "BannerGrabbed": {
        const b = e as BannerGrabbed;
        this.host(b.target, b.timestamp).banners.set(`${b.protocol.toLowerCase()}/${b.port}`, b);
        break;
      }
      case "CertificateFound": {
        const c = e as CertificateFound;
        this.host(c.target, c.timestamp).certificates.set(c.port, c);
        break;
      }
      case "OSDetected": {
        const o = e as OSDetected;
        this.host(o.target, o.timestamp).os = o;
        break;
      }
      case "WarningIssued": {
        // --host-timeout's verdict on a host: a warning, as the event schema (a contract) has no event for it.
        const w = e as WarningIssued;
        const host = w.code === HOST_TIMEOUT_CODE ? timedOutHost(w.message) : null;
        if (host !== null) this.host(host, w.timestamp).timedOut = true;
        break;
      }
    }
  };

  attach(bus: EventBus): Unsubscribe {
    return bus.on(
      { types: COLLECTED },
      this.handle,
      "result-collector",
    );
  }

  /** Hosts in address order (IPv4 first), ports in number order. */
  /** Every host in address order; with `openOnly` (--open) only those with an open or possibly open port. */
  reports(openOnly = false): HostReport[] {
    const key = (h: HostReport) => (h.family === 4 ? BigInt(parseIPv4(h.address) ?? 0) : (parseIPv6(h.address) ?? 0n) + (1n << 129n));
    return [...this.hosts.values()].filter((h) => !openOnly || h.hasOpenish).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /**
   * Seconds the scan ran, to `endedAt` (epoch ms): ScanCompleted's duration, or for
   * a cancelled scan the time from ScanStarted to the ScanCancelled event.
   */
  elapsedSeconds(endedAt: number): number {
    if (this.completed) return this.completed.duration;
    const started = this.started?.timestamp as number | undefined;
    return started === undefined ? 0 : Math.max(0, (endedAt - started) / 1000);
  }

  get hostCount(): number {
    return this.hosts.size;
  }
}

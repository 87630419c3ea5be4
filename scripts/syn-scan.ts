// A minimal driver for the SYN technique: the lab tests and bench-scan.sh run
// it until the real scan engine (branch `scan`) is merged. One JSON line per
// port result on stdout, then one summary line.
//   bun scripts/syn-scan.ts --targets 198.18.0.10,2001:db8::10 --ports 1-1024 [--retries 2] [--timeout 1000] [--rate PPS]
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { loadLibpcap, pcapLinkOpener } from "../ffi/index.ts";
import { processIdentity } from "../src/runtime/identity.ts";
import { LINUX_NET_PATHS, osAddresses, routeTo, timerWaiter } from "../src/net/index.ts";
import { dropPrivileges, SynTechnique, type PacketLink } from "../src/scan/syn/index.ts";
import type { Pacer, PortResult, Probe, TechniqueContext } from "../src/scan/technique.ts";

const { values } = parseArgs({
  options: {
    targets: { type: "string" },
    ports: { type: "string", default: "1-1024" },
    retries: { type: "string", default: "2" },
    timeout: { type: "string", default: "1000" },
    rate: { type: "string", default: "0" },
    "only-open": { type: "boolean", default: false },
    /** Open the pcap handles, then become nobody before the first probe. */
    "drop-privileges": { type: "boolean", default: false },
  },
});

function expandPorts(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(",")) {
    const [a, b] = part === "-" ? ["1", "65535"] : part.split("-");
    for (let p = Number(a); p <= Number(b ?? a); p++) out.push(p);
  }
  return out;
}

function expandTargets(spec: string): string[] {
  return spec.split(",").flatMap((t) => {
    const m = /^(\d+\.\d+\.\d+\.)(\d+)-(\d+)$/.exec(t);
    if (!m) return [t];
    const out: string[] = [];
    for (let i = Number(m[2]); i <= Number(m[3]); i++) out.push(`${m[1]}${i}`);
    return out;
  });
}

/** Token bucket; no limit when rate is 0. */
function pacer(rate: number): Pacer {
  if (rate <= 0) return { acquire: () => undefined };
  let tokens = 0;
  let last = performance.now();
  return {
    acquire() {
      const now = performance.now();
      tokens = Math.min(rate / 20, tokens + ((now - last) * rate) / 1000);
      last = now;
      if (tokens >= 1) {
        tokens--;
        return undefined;
      }
      const waitMs = ((1 - tokens) * 1000) / rate;
      tokens--;
      return new Promise((resolve) => setTimeout(resolve, Math.max(1, waitMs)));
    },
  };
}

const netSystem = { paths: LINUX_NET_PATHS, addresses: osAddresses };
const targets = expandTargets(values.targets ?? "");
const ports = expandPorts(values.ports!);
function* probes(): Iterable<Probe> {
  // Host-interleaved order so no host sees a burst.
  for (const port of ports) for (const host of targets) yield { host, port };
}

const lib = await loadLibpcap(process.env.PRTIP_LIBPCAP);
// Handles are opened up front (one per device the targets route through) so
// privileges can go before the first probe.
const opener = pcapLinkOpener(lib);
const opened = new Map<string, PacketLink>();
const openLink = (device: string) => opened.get(device) ?? opener(device);
let user = "root";
if (values["drop-privileges"]) {
  for (const device of new Set(targets.map((t) => routeTo(t, netSystem)?.iface).filter((d) => d !== undefined))) {
    opened.set(device, opener(device));
  }
  const outcome = dropPrivileges(processIdentity, readFileSync("/etc/passwd", "utf8"));
  if (outcome.dropped) user = outcome.user;
}
const technique = new SynTechnique({
  openLink,
  net: netSystem,
  waiter: timerWaiter,
  secret: randomBytes(16),
});
const results: PortResult[] = [];
const metrics: Record<string, number> = {};
let retries = 0;
const ctx: TechniqueContext = {
  signal: new AbortController().signal,
  pacer: pacer(Number(values.rate)),
  maxRetries: Number(values.retries),
  timeoutMs: Number(values.timeout),
  result: (r) => {
    results.push(r);
    if (!values["only-open"] || r.state === "Open") process.stdout.write(JSON.stringify(r) + "\n");
  },
  metric: (name, value) => void (metrics[name] = value),
  warning: (message, code) => process.stderr.write(`warning [${code}]: ${message}\n`),
  retry: () => void retries++,
  checkpoint: () => undefined,
};
const started = performance.now();
try {
  await technique.scan(probes(), ctx);
} finally {
  technique.close();
}
const elapsedMs = performance.now() - started;
const summary = {
  summary: true,
  user,
  euid: processIdentity.euid(),
  probes: targets.length * ports.length,
  results: results.length,
  open: results.filter((r) => r.state === "Open").length,
  elapsedMs: Math.round(elapsedMs),
  sendPps: Math.round((technique.counters.sent / elapsedMs) * 1000),
  retryEvents: retries,
  ...technique.counters,
  rejects: technique.rejects.total,
  metrics,
};
process.stdout.write(JSON.stringify(summary) + "\n");

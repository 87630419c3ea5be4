// The scan benchmark: (a) all 65535 ports of one host, (b) the lab /24 with the
// top 1000 ports of prtip's own ranked list (every tool scans that same list),
// (c) (a) under 5% random loss both ways; the compiled binary (dist/prtip -sS,
// run as root inside the scanner namespace) vs nmap -T4 vs masscan. Wall time,
// packets/s on the scanner's veth, recall and precision of open ports against the truth.
// (d) the raw send rate: (b)'s probes, unthrottled, while the target namespace
// drops every SYN in its raw table. Over veth the target's TCP stack runs
// inside the sender's own send call, so (a) and (b) measure the kernel's work
// as much as the scanner's; here each probe costs the kernel little more than
// the veth hop. pkts/s is the rate while sending (scripts/tx-rate.ts), not
// packets over the wall time; prtip (its normal report only, no -oJ) and
// masscan (-oL /dev/null) unthrottled, then a bare
// loop sending the same SYNs through prtip's framer and FFI (send-ceiling.ts)
// with sendmmsg and with pcap_inject: the ceiling the kernel and FFI set.
// (e) (d) with ports 1-5000 (1.2 M probes; prtip on its rings and on sendmmsg, masscan): (d)'s send
// window is ~0.3 s, much of it spent compiling the scan loop. (f) (d) with ports
// 1-20000 (5 M probes, ~4 s; prtip and masscan): (e) sends for about as long as
// the first probes' timeout, (f) also reports unanswered ports while it sends,
// as any scan longer than a second does.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { writeSync } from "node:fs";
import { parseArgs } from "node:util";
import { topPorts } from "../src/scan/index.ts";
import { ensureBinary } from "../test/e2e/harness.ts";
import { expected, labUp, type Lab, type Truth } from "../test/lab/lab.ts";

const BUN = process.execPath;
const TX_RATE = new URL("./tx-rate.ts", import.meta.url).pathname;
const SEND_CEILING = new URL("./send-ceiling.ts", import.meta.url).pathname;

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, quick: { type: "boolean", default: false }, only: { type: "string", default: "a,b,c,d,e,f" } },
});
const RUNS = Number(values.runs);
const PRTIP = ensureBinary();

interface Scenario {
  name: string;
  hosts: string[];
  /** Hosts as nmap and prtip take them; masscan wants both ends spelled out. */
  range: string;
  masscanRange: string;
  ports: number[];
  /** prtip takes the list by name (--top-ports N); the peers get it spelled out. */
  topPorts?: number;
  loss: number;
  extraHosts: number;
  /** The raw send rate: the target drops SYNs before its TCP stack sees them. */
  dropSyns?: boolean;
  /** Raw send over a scan long enough that start-up is a small part: no bare send loop, and only these tools. */
  sustained?: readonly string[];
}

interface Measure {
  wallMs: number;
  packets: number;
  open: Set<string>;
  /** Packets/s while sending, when measured so (the raw send scenario). */
  sendPps?: number;
}

const isRange = (ports: number[]) => ports.every((p, i) => p === ports[0]! + i);
const portSpec = (ports: number[]) => (isRange(ports) ? `${ports[0]}-${ports.at(-1)}` : ports.join(","));
/** prtip's port flags for a scenario: its own list by name, or the ports spelled out. */
const prtipPorts = (s: Scenario) => (s.ports.length === 65535 ? ["-p-"] : s.topPorts ? ["--top-ports", String(s.topPorts)] : ["-p", portSpec(s.ports)]);

function txPackets(truth: Truth): number {
  return Number(execFileSync("ip", ["netns", "exec", truth.scannerNs, "cat", `/sys/class/net/${truth.scannerDevice}/statistics/tx_packets`], { encoding: "utf8" }));
}

function timed(truth: Truth, argv: string[]): { stdout: string; wallMs: number; packets: number } {
  const before = txPackets(truth);
  const started = performance.now();
  // A hang is a result too: 15 minutes at most per run.
  const r = spawnSync("ip", ["netns", "exec", truth.scannerNs, ...argv], { encoding: "utf8", maxBuffer: 256 << 20, timeout: 15 * 60_000 });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`${argv[0]} failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, wallMs, packets: txPackets(truth) - before };
}

const tools: Record<string, (t: Truth, s: Scenario) => Measure> = {
  prtip(t, s) {
    const r = timed(t, [PRTIP, "-sS", "-Pn", "-n", ...prtipPorts(s), "--max-retries", s.loss ? "3" : "1", "--no-progress", "-oJ", "-", s.range]);
    const open = new Set<string>();
    for (const line of r.stdout.trim().split("\n")) {
      const o = JSON.parse(line) as { event: string; target?: string; port?: number; state?: string };
      if ((o.event === "PortFound" || o.event === "IPv6PortFound") && o.state === "Open") open.add(`${o.target}:${o.port}`);
    }
    return { wallMs: r.wallMs, packets: r.packets, open };
  },
  nmap(t, s) {
    const r = timed(t, ["nmap", "-sS", "-T4", "-n", "-p", portSpec(s.ports), "-oG", "-", s.range]);
    const open = new Set<string>();
    for (const line of r.stdout.split("\n")) {
      const m = /^Host: (\S+).*Ports: (.*)$/.exec(line);
      if (!m) continue;
      for (const entry of m[2]!.split(", ")) {
        const [port, state] = entry.split("/");
        if (state === "open") open.add(`${m[1]}:${port}`);
      }
    }
    return { wallMs: r.wallMs, packets: r.packets, open };
  },
  masscan(t, s) {
    // masscan's receive thread blocks in pcap until a frame arrives, so when the
    // last reply came before its --wait ended it never exits ("waiting -259
    // secs"): a UDP datagram from the target every 100 ms wakes it (~10 packets/s
    // extra, the scanner's ICMP port-unreachable answers).
    const wake = spawn("ip", ["netns", "exec", t.targetNs, "bash", "-c", "while :; do echo > /dev/udp/198.18.0.1/9; sleep 0.1; done"], { stdio: "ignore" });
    let r: ReturnType<typeof timed>;
    try {
      r = timed(t, [
        "masscan", "-p", portSpec(s.ports), s.masscanRange, "--rate", "100000", "--wait", "1", "--retries", s.loss ? "2" : "0",
        "--adapter", t.scannerDevice, "--adapter-ip", "198.18.0.1", "--router-mac", t.targetMac, "-oL", "-",
      ]);
    } finally {
      wake.kill();
    }
    const open = new Set<string>();
    for (const line of r.stdout.split("\n")) {
      const m = /^open tcp (\d+) (\S+)/.exec(line);
      if (m) open.add(`${m[2]}:${m[1]}`);
    }
    return { wallMs: r.wallMs, packets: r.packets, open };
  },
};

/** Runs `argv` in the scanner namespace under tx-rate.ts: wall time and the rate while sending. */
function sendRate(truth: Truth, argv: string[], env: Record<string, string> = {}): Measure {
  const r = spawnSync("ip", ["netns", "exec", truth.scannerNs, BUN, TX_RATE, truth.scannerDevice, "--", ...argv], {
    encoding: "utf8",
    timeout: 15 * 60_000,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`tx-rate ${argv[0]} failed (${r.status}): ${r.stderr}`);
  const m = JSON.parse(r.stdout) as { code: number; wallMs: number; sendPps: number };
  if (m.code !== 0) throw new Error(`${argv[0]} exited ${m.code}: ${r.stderr}`);
  return { wallMs: m.wallMs, packets: 0, open: new Set(), sendPps: m.sendPps };
}

// prtip's own output only (the normal report on stdout, here discarded), as masscan's
// is its list of open ports (-oL /dev/null): nothing here parses the results.
const rawArgs = (s: Scenario) => ["-sS", "-Pn", "-n", ...prtipPorts(s), "--max-retries", "0", "--no-progress", s.range];

const rawSend: Record<string, (t: Truth, s: Scenario) => Measure> = {
  prtip: (t, s) => sendRate(t, [PRTIP, ...rawArgs(s)]),
  // The sending threads on sendmmsg instead of their TX rings: the peer of the default above.
  "prtip, PRTIP_TX_RING=0": (t, s) => sendRate(t, [PRTIP, ...rawArgs(s)], { PRTIP_TX_RING: "0" }),
  // One sending thread (on its TX ring), and none (sendmmsg on the scan's own thread, as before the sending threads).
  "prtip, PRTIP_SEND_THREADS=1": (t, s) => sendRate(t, [PRTIP, ...rawArgs(s)], { PRTIP_SEND_THREADS: "1" }),
  "prtip, PRTIP_SEND_THREADS=0": (t, s) => sendRate(t, [PRTIP, ...rawArgs(s)], { PRTIP_SEND_THREADS: "0" }),
  masscan(t, s) {
    const wake = spawn("ip", ["netns", "exec", t.targetNs, "bash", "-c", "while :; do echo > /dev/udp/198.18.0.1/9; sleep 0.1; done"], { stdio: "ignore" });
    try {
      return sendRate(t, [
        "masscan", "-p", portSpec(s.ports), s.masscanRange, "--rate", "100000000", "--wait", "0", "--retries", "0",
        "--adapter", t.scannerDevice, "--adapter-ip", "198.18.0.1", "--router-mac", t.targetMac, "-oL", "/dev/null",
      ]);
    } finally {
      wake.kill();
    }
  },
};

function truthOpen(t: Truth, s: Scenario): Set<string> {
  const open = new Set<string>();
  for (const h of s.hosts) {
    if (!t.hosts[h]) continue;
    for (const p of s.ports) if (expected(t, h, p).state === "Open") open.add(`${h}:${p}`);
  }
  return open;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function run(s: Scenario): string[] {
  const rows: string[] = [];
  let lab: Lab | null = null;
  try {
    lab = labUp({ loss: s.loss, extraHosts: s.extraHosts });
    if (s.dropSyns) {
      execFileSync("ip", ["netns", "exec", lab.truth.targetNs, "iptables", "-t", "raw", "-I", "PREROUTING", "-p", "tcp", "--tcp-flags", "SYN,ACK", "SYN", "-j", "DROP"]);
      for (const [tool, measure] of Object.entries(rawSend)) {
        if (s.sustained && !s.sustained.includes(tool)) continue;
        const ms: Measure[] = [];
        for (let i = 0; i < RUNS; i++) ms.push(measure(lab.truth, s));
        const wall = median(ms.map((m) => m.wallMs));
        const pps = median(ms.map((m) => m.sendPps ?? 0));
        rows.push(`| ${s.name} | ${tool} | ${(wall / 1000).toFixed(2)} | — | ${Math.round(pps)} | — | — |`);
      }
      // The same SYNs from a bare loop over prtip's framer and FFI: what the kernel allows, without the scan's work.
      if (s.sustained) return rows;
      for (const mode of ["txring2", "thread2", "txring", "thread", "batch", "inject"] as const) {
        const pps: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const r = execFileSync("ip", ["netns", "exec", lab.truth.scannerNs, BUN, SEND_CEILING, lab.truth.scannerDevice, lab.truth.targetMac, "198.18.0.10", "198.18.0.12", "500000", mode], { encoding: "utf8" });
          pps.push((JSON.parse(r) as { sendPps: number }).sendPps);
        }
        const label = { txring2: "send loop, TX rings on two sending threads", txring: "send loop, a TX ring on a sending thread", thread2: "send loop, sendmmsg on two sending threads", thread: "send loop, sendmmsg on a sending thread", batch: "send loop, sendmmsg ×64 on the loop's thread", inject: "send loop, pcap_inject" }[mode];
        rows.push(`| ${s.name} | ${label} | — | — | ${Math.round(median(pps))} | — | — |`);
      }
      return rows;
    }
    const truth = truthOpen(lab.truth, s);
    const walls: Record<string, number> = {};
    for (const [tool, measure] of Object.entries(tools)) {
      const ms: Measure[] = [];
      // nmap backs off for minutes under loss: one run of the loss scenario.
      for (let i = 0; i < (s.loss ? 1 : RUNS); i++) ms.push(measure(lab.truth, s));
      const wall = median(ms.map((m) => m.wallMs));
      walls[tool] = wall;
      const recall = median(ms.map((m) => [...truth].filter((k) => m.open.has(k)).length / truth.size));
      const precision = median(ms.map((m) => (m.open.size ? [...m.open].filter((k) => truth.has(k)).length / m.open.size : 1)));
      const pps = median(ms.map((m) => (m.packets / m.wallMs) * 1000));
      const ratio = tool === "nmap" ? "1.00" : (wall / walls.nmap!).toPrecision(2);
      rows.push(`| ${s.name} | ${tool} | ${(wall / 1000).toFixed(2)} | ${tool === "prtip" || tool === "masscan" ? ratio : "1.00"} | ${Math.round(pps)} | ${(recall * 100).toFixed(1)}% | ${(precision * 100).toFixed(1)}% |`);
    }
    // nmap runs second: fix prtip's ratio now that nmap's wall time is known.
    rows[0] = rows[0]!.replace(/\| prtip \| ([\d.]+) \| [^|]+ \|/, (_, w: string) => `| prtip | ${w} | ${(walls.prtip! / walls.nmap!).toPrecision(2)} |`);
  } finally {
    lab?.down();
  }
  return rows;
}

const ports = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const all = ports(65535);
const lanHosts = Array.from({ length: 253 }, (_, i) => `198.18.0.${i + 2}`);
const scenarios: Scenario[] = [
  { name: "(a) 1 host × 65535", hosts: ["198.18.0.10"], range: "198.18.0.10", masscanRange: "198.18.0.10", ports: all, loss: 0, extraHosts: 0 },
  { name: "(b) /24 × top 1000", hosts: lanHosts, range: "198.18.0.2-254", masscanRange: "198.18.0.2-198.18.0.254", ports: topPorts(1000), topPorts: 1000, loss: 0, extraHosts: values.quick ? 20 : 234 },
  { name: "(c) (a) with 5% loss", hosts: ["198.18.0.10"], range: "198.18.0.10", masscanRange: "198.18.0.10", ports: all, loss: 0.05, extraHosts: 0 },
  { name: "(d) raw send: (b), target drops SYNs", hosts: lanHosts, range: "198.18.0.2-254", masscanRange: "198.18.0.2-198.18.0.254", ports: topPorts(1000), topPorts: 1000, loss: 0, extraHosts: values.quick ? 20 : 234, dropSyns: true },
  // (d)'s send window is ~0.3 s, much of it the JIT compiling the scan loop; five times the ports shows the rate a long scan keeps.
  { name: "(e) raw send, sustained: (d) × ports 1-5000", hosts: lanHosts, range: "198.18.0.2-254", masscanRange: "198.18.0.2-198.18.0.254", ports: ports(5000), loss: 0, extraHosts: values.quick ? 20 : 234, dropSyns: true, sustained: ["prtip", "prtip, PRTIP_TX_RING=0", "masscan"] },
  // (e) sends for ~1 s, as long as the first probes' timeout: here (5 M probes, ~4 s) the unanswered ports are reported while the scan still sends.
  { name: "(f) raw send, long: (d) × ports 1-20000", hosts: lanHosts, range: "198.18.0.2-254", masscanRange: "198.18.0.2-198.18.0.254", ports: ports(20000), loss: 0, extraHosts: values.quick ? 20 : 234, dropSyns: true, sustained: ["prtip", "masscan"] },
];

console.log(`dist/prtip -sS vs nmap ${execFileSync("nmap", ["--version"], { encoding: "utf8" }).split("\n")[0]!.split(" ")[2]} -T4 vs masscan --rate 100000; median of ${RUNS} runs; packets/s = scanner veth tx packets / wall time; (d), (e) and (f) unthrottled (masscan --rate 100000000), packets/s while sending`);
console.log("| scenario | tool | wall s | ×nmap | pkts/s | recall | precision |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
// Rows as they come (console.log to a file may sit in a buffer until exit).
const only = new Set(values.only.split(","));
for (const s of scenarios.filter((x) => only.has(x.name[1]!))) for (const row of run(s)) writeSync(1, `${row}\n`);

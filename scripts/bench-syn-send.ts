// The SYN technique's own cost per probe, without a kernel: a link whose
// batched sends go nowhere and which never answers, so the time until the last
// probe is queued is all JavaScript (probe stream, per-probe state, cookie,
// framing, batching) plus the garbage collector. Next to bench-scan's (d) rows
// it splits the raw send rate into our work and the kernel's.
//   bun scripts/bench-syn-send.ts [PROBES] [HOSTS] [RUNS]
import { LINKTYPE, timerWaiter } from "../src/net/index.ts";
import { SynTechnique, type FrameBatch, type PacketLink } from "../src/scan/syn/index.ts";
import type { Probe, TechniqueContext } from "../src/scan/technique.ts";
import { fakeSystem } from "../test/scan/syn/fake-net.ts";

const N = Number(process.argv[2] ?? 238_000);
const H = Number(process.argv[3] ?? 238);
const RUNS = Number(process.argv[4] ?? 5);
const hosts = Array.from({ length: H }, (_, i) => `198.18.${(10 + i) >> 8}.${(10 + i) & 255}`);
// Every host already in the ARP cache: no resolution on the wire.
const arp = ["IP address HW type Flags HW address Mask Device", ...hosts.map((h) => `${h} 0x1 0x2 02:00:00:00:00:02 * veth0`)].join("\n");
const system = { ...fakeSystem, read: (p: string) => (p === "/arp" ? arp : (fakeSystem.read?.(p) ?? "")) };

async function run(): Promise<{ nsPerProbe: number; cpuNsPerProbe: number }> {
  let queued = 0;
  const stop = new AbortController();
  let doneAt = 0;
  let cpuAtDone = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const slot = new Uint8Array(128);
  const batch: FrameBatch = {
    slotSize: 128,
    next: () => slot,
    commit: () => {
      if (++queued !== N) return;
      doneAt = performance.now();
      const c = process.cpuUsage(cpu);
      cpuAtDone = c.user + c.system;
      stop.abort();
    },
    flush: () => {},
  };
  const link: PacketLink = {
    linkType: LINKTYPE.ethernet,
    batch,
    send: () => {},
    receive: () => 0,
    receiveAt: () => 0,
    setFilter: () => {},
    stats: () => ({ received: 0, dropped: 0, ifDropped: 0 }),
    close: () => {},
  };
  const technique = new SynTechnique({ openLink: () => link, net: system, waiter: timerWaiter, secret: new Uint8Array(16).fill(7), minTimeoutMs: 1 });
  const probes = function* (): Generator<Probe> {
    for (let i = 0; i < N; i++) yield { host: hosts[i % H]!, port: 1 + (Math.floor(i / H) % 65535), hostIndex: i % H };
  };
  // Nothing answers and the timeout is long: no verdict work overlaps the sends; the scan stops once all are queued.
  const ctx: TechniqueContext = {
    signal: stop.signal,
    pacer: { acquire: () => undefined },
    maxRetries: 0,
    timeoutMs: 60_000,
    result: () => {},
    metric: () => {},
    warning: (m) => process.stderr.write(`${m}\n`),
    retry: () => {},
    checkpoint: () => undefined,
  };
  await technique.scan(probes(), ctx);
  technique.close();
  return { nsPerProbe: ((doneAt - started) * 1e6) / N, cpuNsPerProbe: (cpuAtDone * 1000) / N };
}

const results: { nsPerProbe: number; cpuNsPerProbe: number }[] = [];
for (let i = 0; i < RUNS; i++) results.push(await run());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ns = median(results.map((r) => r.nsPerProbe));
console.log(
  `SYN technique, no kernel: ${N} probes over ${H} hosts, median of ${RUNS}: ${Math.round(ns)} ns/probe wall (${Math.round(median(results.map((r) => r.cpuNsPerProbe)))} ns CPU, GC threads included) = ${Math.round(1e9 / ns)} probes/s`,
);

// Service detection through the compiled binary vs `nmap -sV`, in one run, on
// the namespaced lab's real services (test/lab/services.ts: sshd, nginx HTTP
// and TLS, redis-server, dnsmasq on UDP). Both tools run as root inside the
// scanner namespace, -Pn -n, default timing. Each round runs the TCP ports
// (-sS -sV) and the UDP port (-sU -sV) as two invocations per tool, alternating
// which tool goes first. Prints median wall times and the service each names.
import { spawnSync } from "node:child_process";
import { ensureBinary } from "../test/e2e/harness.ts";
import { labUp, type Lab } from "../test/lab/lab.ts";
import { startServices, type LabServices } from "../test/lab/services.ts";
import { median } from "./bench-table.ts";

const rounds = Number(process.env.ROUNDS ?? 3);
const PRTIP = ensureBinary();

type Names = Map<string, string>;

function timed(lab: Lab, argv: string[]): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync("ip", ["netns", "exec", lab.truth.scannerNs, ...argv], { encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv[0]} failed (${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/** nmap's names folded onto ours: ssl/http is HTTPS, domain is DNS. */
function nmapName(name: string, tunnel: string | undefined): string {
  const base = ({ domain: "dns", ssl: "tls" } as Record<string, string>)[name] ?? name;
  if (tunnel === "ssl") return base === "http" ? "HTTPS" : `${base.toUpperCase()}S`;
  return base.toUpperCase();
}

function prtip(lab: Lab, host: string, proto: "tcp" | "udp", ports: number[]): { ms: number; names: Names } {
  const r = timed(lab, [PRTIP, proto === "tcp" ? "-sS" : "-sU", "-sV", "-Pn", "-n", "-p", ports.join(","), "--no-progress", "-oJ", "-", host]);
  const names: Names = new Map();
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const e = JSON.parse(line) as { event: string; port?: number; service?: string };
    if (e.event === "ServiceDetected") names.set(`${e.port}/${proto}`, e.service!);
  }
  return { ms: r.ms, names };
}

function nmap(lab: Lab, host: string, proto: "tcp" | "udp", ports: number[]): { ms: number; names: Names } {
  const r = timed(lab, ["nmap", proto === "tcp" ? "-sS" : "-sU", "-sV", "-Pn", "-n", "-p", ports.join(","), "-oX", "-", host]);
  const names: Names = new Map();
  for (const m of r.stdout.matchAll(/<port protocol="\w+" portid="(\d+)">[\s\S]*?<\/port>/g)) {
    const service = /<service name="([^"]+)"([^>]*)/.exec(m[0]);
    const tunnel = service ? /tunnel="([^"]+)"/.exec(service[2]!)?.[1] : undefined;
    if (service) names.set(`${m[1]}/${proto}`, nmapName(service[1]!, tunnel));
  }
  return { ms: r.ms, names };
}

let lab: Lab | null = null;
let services: LabServices | null = null;
try {
  lab = labUp();
  services = await startServices(lab.truth);
  const P = services.ports;
  const tcp = [P.ssh, P.http, P.https, P.redis];
  const udp = [P.dns];
  const label: Record<string, string> = {
    [`${P.ssh}/tcp`]: `sshd (${services.versions.ssh})`,
    [`${P.http}/tcp`]: `nginx http (${services.versions.nginx})`,
    [`${P.https}/tcp`]: "nginx tls",
    [`${P.redis}/tcp`]: `redis ${services.versions.redis}`,
    [`${P.dns}/udp`]: `dnsmasq ${services.versions.dnsmasq}`,
  };
  const times = { prtip: { tcp: [] as number[], udp: [] as number[] }, nmap: { tcp: [] as number[], udp: [] as number[] } };
  let last = { prtip: new Map() as Names, nmap: new Map() as Names };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (["prtip", "nmap"] as const) : (["nmap", "prtip"] as const);
    for (const tool of order) {
      const run = tool === "prtip" ? prtip : nmap;
      const a = run(lab, services.host, "tcp", tcp);
      const b = run(lab, services.host, "udp", udp);
      times[tool].tcp.push(a.ms);
      times[tool].udp.push(b.ms);
      last[tool] = new Map([...a.names, ...b.names]);
    }
  }
  console.log(`dist/prtip -sV vs nmap -sV on the lab's services (${services.host}, inside the scanner namespace); median of ${rounds} rounds`);
  console.log("| port | service started | prtip | nmap | agree |");
  console.log("| --- | --- | --- | --- | --- |");
  let agree = 0;
  const keys = [...tcp.map((p) => `${p}/tcp`), ...udp.map((p) => `${p}/udp`)];
  for (const k of keys) {
    const o = last.prtip.get(k) ?? "-";
    const n = last.nmap.get(k) ?? "-";
    if (o === n) agree++;
    console.log(`| ${k} | ${label[k]} | ${o} | ${n} | ${o === n ? "yes" : "NO"} |`);
  }
  console.log(`\nagreement: ${agree}/${keys.length} ports\n`);
  console.log("| run | prtip ms | nmap ms | prtip/nmap |");
  console.log("| --- | --- | --- | --- |");
  for (const proto of ["tcp", "udp"] as const) {
    const o = median(times.prtip[proto]);
    const n = median(times.nmap[proto]);
    console.log(`| -s${proto === "tcp" ? "S" : "U"} -sV ${proto === "tcp" ? tcp.length : udp.length} ${proto} port(s) | ${o.toFixed(0)} | ${n.toFixed(0)} | ${(o / n).toFixed(2)} |`);
  }
  const o = median(times.prtip.tcp.map((t, i) => t + times.prtip.udp[i]!));
  const n = median(times.nmap.tcp.map((t, i) => t + times.nmap.udp[i]!));
  console.log(`| both | ${o.toFixed(0)} | ${n.toFixed(0)} | ${(o / n).toFixed(2)} |`);
} finally {
  await services?.stop();
  lab?.down();
}

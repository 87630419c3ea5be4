// Service detection vs `nmap -sV` on the same loopback services, in one run:
// sshd, nginx HTTP, nginx TLS (on a non-TLS port), redis-server, dnsmasq (UDP).
// Reports median wall time per tool over ROUNDS alternating rounds and whether
// both name the same service on every port. Both use their default timeouts.

import { spawnSync } from "node:child_process";
import { detectServices } from "../src/detect/index.ts";
import type { OpenPort } from "../src/detect/index.ts";
import { HOST, startLab } from "../test/detect/lab-services.ts";

const rounds = Number(process.env.ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** nmap's names folded onto ours: ssl/http is HTTPS, domain is DNS. */
function nmapName(name: string, tunnel: string | undefined): string {
  const base = { domain: "dns", "ssl": "tls" }[name] ?? name;
  if (tunnel === "ssl") return base === "http" ? "HTTPS" : `${base.toUpperCase()}S`;
  return base.toUpperCase();
}

async function ours(ports: OpenPort[]): Promise<{ ms: number; names: Map<string, string> }> {
  const names = new Map<string, string>();
  const t0 = performance.now();
  await detectServices(ports, {}, {
    service: (f) => names.set(`${f.port}`, f.service),
    banner: () => {},
    certificate: () => {},
  });
  return { ms: performance.now() - t0, names };
}

function nmap(tcp: number[], udp: number[]): { ms: number; names: Map<string, string> } {
  const t0 = performance.now();
  const run = spawnSync("nmap", ["-sV", "-sS", "-sU", "-Pn", "-n", "-p", `T:${tcp.join(",")},U:${udp.join(",")}`, "-oX", "-", HOST], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`nmap failed: ${run.stderr}`);
  const names = new Map<string, string>();
  for (const m of run.stdout.matchAll(/<port protocol="\w+" portid="(\d+)">[\s\S]*?<\/port>/g)) {
    const service = /<service name="([^"]+)"([^>]*)/.exec(m[0]);
    const tunnel = service ? /tunnel="([^"]+)"/.exec(service[2]!)?.[1] : undefined;
    if (service) names.set(m[1]!, nmapName(service[1]!, tunnel));
  }
  return { ms, names };
}

const lab = await startLab();
try {
  const tcp = [lab.ssh, lab.http, lab.https, lab.redis];
  const ports: OpenPort[] = [...tcp.map((port) => ({ target: HOST, port })), { target: HOST, port: lab.dns, protocol: "Udp" as const }];
  const label: Record<number, string> = { [lab.ssh]: "sshd", [lab.http]: "nginx http", [lab.https]: "nginx tls", [lab.redis]: "redis", [lab.dns]: "dnsmasq/udp" };
  const ourTimes: number[] = [];
  const nmapTimes: number[] = [];
  let last = { ours: new Map<string, string>(), nmap: new Map<string, string>() };
  for (let i = 0; i < rounds; i++) {
    const a = await ours(ports);
    const b = nmap(tcp, [lab.dns]);
    ourTimes.push(a.ms);
    nmapTimes.push(b.ms);
    last = { ours: a.names, nmap: b.names };
  }
  console.log(`| port | service started | prtip detect | nmap -sV | agree |`);
  console.log(`| --- | --- | --- | --- | --- |`);
  let agree = 0;
  for (const p of ports) {
    const o = last.ours.get(`${p.port}`) ?? "-";
    const n = last.nmap.get(`${p.port}`) ?? "-";
    if (o === n) agree++;
    console.log(`| ${p.port}/${p.protocol === "Udp" ? "udp" : "tcp"} | ${label[p.port]} | ${o} | ${n} | ${o === n ? "yes" : "NO"} |`);
  }
  const ourMs = median(ourTimes);
  const nmapMs = median(nmapTimes);
  console.log(`\nagreement: ${agree}/${ports.length} ports`);
  console.log(`| tool | median wall time (${rounds} rounds) | all rounds |`);
  console.log(`| --- | --- | --- |`);
  console.log(`| prtip detectServices | ${ourMs.toFixed(0)} ms | ${ourTimes.map((t) => t.toFixed(0)).join(", ")} |`);
  console.log(`| nmap -sV (incl. its port scan) | ${nmapMs.toFixed(0)} ms | ${nmapTimes.map((t) => t.toFixed(0)).join(", ")} |`);
  console.log(`ratio prtip/nmap: ${(ourMs / nmapMs).toFixed(3)}`);
} finally {
  await lab.stop();
}

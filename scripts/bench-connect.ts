// Connect-scan benchmark on loopback only: prtip -sT against nmap -sT in the
// same run, on listeners this script opens. Prints medians, the ratio, and
// recall of the known listeners for both tools.
//   bun scripts/bench-connect.ts [runs]
import { spawnSync } from "node:child_process";
import { type Server, createServer } from "node:net";

const RUNS = Number(process.argv[2] ?? 3);
const PRTIP = "dist/prtip";

const servers: Server[] = [];
const truth: number[] = [];
for (let i = 0; i < 20; i++) {
  const s = createServer((c) => c.destroy());
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  servers.push(s);
  truth.push((s.address() as { port: number }).port);
}

interface Case {
  name: string;
  prtip: string[];
  nmap: string[];
}
const spread = `1-1000,${truth.join(",")}`;
const CASES: Case[] = [
  { name: "127.0.0.1, all 65,535 ports", prtip: ["-sT", "-Pn", "-p-", "127.0.0.1"], nmap: ["-sT", "-Pn", "-n", "-T4", "-p-", "127.0.0.1"] },
  { name: "127.0.0.0/28, ports 1-1000 + listeners", prtip: ["-sT", "-Pn", "-p", spread, "127.0.0.0/28"], nmap: ["-sT", "-Pn", "-n", "-T4", "-p", spread, "127.0.0.0/28"] },
];

function openPorts(gnmap: string, host = "127.0.0.1"): Set<number> {
  const line = gnmap.split("\n").find((l) => l.startsWith(`Host: ${host} `) && l.includes("Ports:")) ?? "";
  return new Set([...line.matchAll(/(\d+)\/open\/tcp/g)].map((m) => Number(m[1])));
}

function timed(cmd: string, args: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return { ms: performance.now() - t0, out: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const rows: string[] = [];
for (const c of CASES) {
  const p: number[] = [];
  const n: number[] = [];
  let recallP = 0;
  let recallN = 0;
  for (let r = 0; r < RUNS; r++) {
    const a = timed(PRTIP, [...c.prtip, "-oG", "-"]);
    const b = timed("nmap", [...c.nmap, "-oG", "-"]);
    p.push(a.ms);
    n.push(b.ms);
    const fa = openPorts(a.out);
    const fb = openPorts(b.out);
    recallP = truth.filter((t) => fa.has(t)).length / truth.length;
    recallN = truth.filter((t) => fb.has(t)).length / truth.length;
  }
  rows.push(
    `| ${c.name} | ${median(p).toFixed(0)} | ${median(n).toFixed(0)} | ${(median(p) / median(n)).toFixed(2)} | ${(recallP * 100).toFixed(0)}% | ${(recallN * 100).toFixed(0)}% |`,
  );
}
// The rate cap: --max-rate 2000 over 10,000 probes should take 5 s.
const capped = timed(PRTIP, ["-sT", "-Pn", "--max-rate", "2000", "-p", "1-10000", "127.0.0.1", "-oG", "-"]);
const achieved = 10_000 / (capped.ms / 1000);
for (const s of servers) s.close();
console.log(`connect scan on loopback, median of ${RUNS} runs (ms)\n`);
console.log("| case | prtip -sT | nmap -sT -T4 | ratio | prtip recall | nmap recall |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) console.log(r);
console.log(`\n--max-rate 2000, 10,000 probes: ${capped.ms.toFixed(0)} ms wall (start-up included), ${achieved.toFixed(0)} probes/s (${(((achieved - 2000) / 2000) * 100).toFixed(1)}%)`);

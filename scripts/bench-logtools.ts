// npm run bench:logtools [-- --events N] [-- --gb]
// prtip log vs jq on a realistic 1M-event log (~200 MB, written with the real
// encoder), grep -cF as the floor, in one run on one machine: medians of
// --runs runs, peak RSS of each command, and the ratios the issue asks for
// (>= 20x jq on each task, within 5x of grep on the event filter, <= 150 MB).
// --gb also writes a ~1 GB log and checks prtip's peak RSS on it. Peak RSS
// comes from GNU time (Debian package `time`); without it RSS shows NaN.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateLog } from "./bench-log-gen.ts";

const args = process.argv.slice(2);
const flagValue = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EVENTS = flagValue("--events", 1_000_000);
const RUNS = flagValue("--runs", 3);
const GB = args.includes("--gb");

const root = join(import.meta.dir, "..");
// The compiled binary, as users run it (built now, so it matches the source).
Bun.spawnSync([process.execPath, join(root, "scripts/build.ts")], { stdout: "ignore", stderr: "inherit" });
const prtip = (...a: string[]) => [join(root, "dist/prtip"), "log", ...a];
const sh = (cmd: string) => ["bash", "-c", cmd];

interface Measure {
  ms: number;
  rssMb: number;
  out: string;
}

// Peak RSS from GNU time (for a pipeline: its largest process); Bun's own
// resourceUsage reports the largest child so far, not this one.
const HAS_TIME = existsSync("/usr/bin/time");
function once(cmd: string[]): Measure {
  const rssFile = join(dir, "rss");
  const t = performance.now();
  const r = Bun.spawnSync(HAS_TIME ? ["/usr/bin/time", "-f", "%M", "-o", rssFile, ...cmd] : cmd, { stdout: "pipe", stderr: "pipe" });
  const ms = performance.now() - t;
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${r.exitCode}: ${r.stderr.toString()}`);
  const kb = HAS_TIME ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) : Number.NaN;
  return { ms, rssMb: kb / 1024, out: r.stdout.toString() };
}

function measure(cmd: string[]): Measure {
  const runs = Array.from({ length: RUNS }, () => once(cmd));
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { ms: median.ms, rssMb: Math.max(...runs.map((r) => r.rssMb)), out: median.out };
}

const dir = mkdtempSync(join(tmpdir(), "prtip-bench-"));
const row = (cells: (string | number)[]) => console.log("| " + cells.join(" | ") + " |");
const fmt = (m: Measure) => `${(m.ms / 1000).toFixed(3)} s`;

try {
  const log = join(dir, "scans.jsonl");
  let t = performance.now();
  generateLog(log, EVENTS);
  const size = statSync(log).size;
  console.log(`log: ${EVENTS.toLocaleString()} events, ${(size / 1e6).toFixed(0)} MB, generated in ${((performance.now() - t) / 1000).toFixed(1)} s; ${RUNS} runs each, medians; bun ${Bun.version}, ${(await Bun.$`jq --version`.text()).trim()}\n`);

  const tasks: { task: string; ours: string[]; jq: string[]; check: (a: string, b: string) => boolean }[] = [
    {
      task: "filter --event PortFound",
      ours: sh(`${prtip("filter", "--event", "PortFound", log).join(" ")} | wc -l`),
      jq: sh(`jq -c 'select(.event=="PortFound")' ${log} | wc -l`),
      check: (a, b) => a.trim() === b.trim(),
    },
    {
      task: "count by event type",
      ours: prtip("filter", "--count-by", "event", log),
      jq: ["jq", "-n", "-c", "reduce inputs.event as $e ({}; .[$e] += 1)", log],
      check: (a, b) => {
        const ours = Object.fromEntries(a.trim().split("\n").map((l) => l.trim().split(" ")).map(([n, e]) => [e!, Number(n)]));
        const theirs = JSON.parse(b) as Record<string, number>;
        return Object.entries(theirs).every(([k, v]) => ours[k] === v || (k === "log_started" || k === "log_ended"));
      },
    },
    {
      task: "top 10 open ports",
      ours: prtip("filter", "--event", "PortFound", "--where", "state=Open", "--count-by", "port", "--top", "10", log),
      jq: sh(`jq -r 'select(.event=="PortFound" and .state=="Open") | .port' ${log} | sort -n | uniq -c | sort -rn | head -10`),
      check: (a, b) => a.trim().split("\n").map((l) => l.trim()).join() === b.trim().split("\n").map((l) => l.trim()).join(),
    },
  ];

  console.log("| task | prtip | jq | jq / prtip | prtip peak RSS | jq peak RSS | same answer |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  const results: Record<string, Measure> = {};
  for (const { task, ours, jq, check } of tasks) {
    const a = measure(ours);
    const b = measure(jq);
    results[task] = a;
    row([task, fmt(a), fmt(b), `${(b.ms / a.ms).toFixed(1)}x`, `${a.rssMb.toFixed(0)} MB`, `${b.rssMb.toFixed(0)} MB`, check(a.out, b.out) ? "yes" : "NO"]);
  }

  const grepCount = measure(["grep", "-cF", '"event":"PortFound"', log]);
  const oursCount = measure(prtip("filter", "--event", "PortFound", "--count", log));
  const filter = results["filter --event PortFound"]!;
  console.log("\n| floor | grep | prtip | prtip / grep |");
  console.log("| --- | --- | --- | --- |");
  row(["count PortFound lines (grep -cF vs filter --count)", fmt(grepCount), fmt(oursCount), `${(oursCount.ms / grepCount.ms).toFixed(1)}x`]);
  const grepLines = measure(sh(`grep -F '"event":"PortFound"' ${log} | wc -l`));
  row(["print PortFound lines (grep -F vs filter --event)", fmt(grepLines), fmt(filter), `${(filter.ms / grepLines.ms).toFixed(1)}x`]);
  if (grepCount.out.trim() !== oursCount.out.trim()) console.log(`COUNT MISMATCH: grep ${grepCount.out.trim()} prtip ${oursCount.out.trim()}`);

  const summary = measure(prtip("summary", "--json", log));
  console.log(`\nsummary --json (no jq peer): ${fmt(summary)}, peak RSS ${summary.rssMb.toFixed(0)} MB`);

  const gz = join(dir, "scans.jsonl.gz");
  await Bun.$`gzip -1 -c ${log} > ${gz}`;
  const gzOurs = measure(prtip("filter", "--event", "PortFound", "--count", gz));
  const gzGrep = measure(sh(`gzip -dc ${gz} | grep -cF '"event":"PortFound"'`));
  console.log(`.gz input: prtip filter --count ${fmt(gzOurs)} (${gzOurs.rssMb.toFixed(0)} MB) vs gzip -dc | grep -cF ${fmt(gzGrep)}`);

  if (GB) {
    rmSync(gz);
    const big = join(dir, "big.jsonl");
    t = performance.now();
    generateLog(big, EVENTS * 5);
    console.log(`\n1 GB check: ${(statSync(big).size / 1e6).toFixed(0)} MB log generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const [label, cmd] of [
      ["filter --event PortFound > /dev/null", sh(`${prtip("filter", "--event", "PortFound", big).join(" ")} > /dev/null`)],
      ["filter --count-by event", prtip("filter", "--count-by", "event", big)],
      ["summary (table)", prtip("summary", big)],
      ["summary --json", prtip("summary", "--json", big)],
    ] as const) {
      const m = once([...cmd]);
      console.log(`  ${label}: ${fmt(m)}, peak RSS ${m.rssMb.toFixed(0)} MB`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

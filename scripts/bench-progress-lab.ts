// Real lab scans for bench-progress: record event logs of the compiled binary
// scanning the namespaced lab, and time it with and without the event system.
// Needs root (network namespaces) and dist/prtip (npm run build). Every lab is
// torn down in finally and on SIGINT/SIGTERM.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { StageName } from "../src/events/index.ts";
import { ROOT, labUp } from "../test/lab/lab.ts";
import type { Lab } from "../test/lab/lab.ts";

export const PRTIP = join(ROOT, "dist/prtip");

export interface LabScenario {
  name: string;
  /** iptables drop probability inside the target namespace, 0..1. */
  loss: number;
  args: string[];
  /** What the scan command tells the tracker up front (-Pn, no -sV), as a live scan does. */
  skipStages: StageName[];
}

export interface RecordedScan {
  scenario: LabScenario;
  file: string;
  wallSeconds: number;
}

const NO_SV: StageName[] = ["ServiceDetection"];
// 25 hosts answer on the /24 (the lab's 5 plus 20 extra); the other 231 cost the ARP timeout in discovery.
export const EXTRA_HOSTS = 20;
export const SLASH24_ARGS = ["-sS", "--top-ports", "1000", "--max-rate", "2500", "198.18.0.0/24"];

export const LAB_SCENARIOS: LabScenario[] = [
  { name: "/24 top-1000 2500pps seed 1", loss: 0, args: [...SLASH24_ARGS, "--seed", "1"], skipStages: NO_SV },
  { name: "/24 top-1000 2500pps seed 2", loss: 0, args: [...SLASH24_ARGS, "--seed", "2"], skipStages: NO_SV },
  { name: "1 host -p- 5000pps", loss: 0, args: ["-sS", "-p-", "--max-rate", "5000", "--seed", "1", "198.18.0.10"], skipStages: NO_SV },
  { name: "/24 top-1000 2500pps -sV", loss: 0, args: [...SLASH24_ARGS, "-sV", "--seed", "1"], skipStages: [] },
  { name: "/24 top-1000 2500pps loss 5%", loss: 0.05, args: [...SLASH24_ARGS, "--seed", "1"], skipStages: NO_SV },
];

const labs = new Set<Lab>();
function downAll(): void {
  for (const lab of labs) lab.down();
  labs.clear();
}
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    downAll();
    process.exit(130);
  });
}

/** Runs `fn` with a fresh lab, always tearing it down. */
export async function withLab<T>(loss: number, fn: (lab: Lab) => Promise<T> | T): Promise<T> {
  const lab = labUp({ loss, extraHosts: EXTRA_HOSTS });
  labs.add(lab);
  try {
    return await fn(lab);
  } finally {
    lab.down();
    labs.delete(lab);
  }
}

export function requireBinary(): void {
  if (!existsSync(PRTIP)) throw new Error(`${PRTIP} is missing: run npm run build first`);
}

/** prtip drops root after opening its capture handle, so the log directory must be writable by anyone. */
export function scratchDir(name: string): string {
  const dir = join(process.env.TMPDIR ?? "/tmp", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o1777);
  return dir;
}

/** A run that hangs is killed after this long (the lab scans take ~15 s). */
const RUN_TIMEOUT_MS = 90_000;

/**
 * Wall seconds of one prtip run inside the lab's scanner namespace; throws on
 * failure. With `viaPty` it runs under `script` in a 160x50 pty (for --live):
 * the dashboard stays up after the scan until q, so q is typed as soon as the
 * screen says COMPLETED (≤ one 60 fps frame late, counted against the pty run).
 */
export async function runPrtip(lab: Lab, args: string[], viaPty = false): Promise<number> {
  const argv = ["netns", "exec", lab.truth.scannerNs, PRTIP, ...args];
  const t0 = performance.now();
  const child = viaPty
    ? spawn("script", ["-qfec", `stty cols 160 rows 50; ip ${argv.map(shellQuote).join(" ")}`, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] })
    : spawn("ip", argv, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  let tail = "";
  let quit = false;
  child.stdout?.on("data", (d: Buffer) => {
    // The last few characters carry over: the word may straddle two reads.
    tail = tail.slice(-16) + d.toString();
    if (!quit && tail.includes("COMPLETED")) {
      quit = true;
      child.stdin?.write("q");
    }
  });
  const timer = setTimeout(() => child.kill("SIGTERM"), RUN_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`prtip ${args.join(" ")} exited ${code}: ${stderr.slice(0, 500)}`);
  return seconds;
}

function shellQuote(s: string): string {
  return /^[\w./:,=%-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Records one event log per scenario into `dir` (one lab per loss setting). */
export async function recordScans(dir: string, scenarios = LAB_SCENARIOS): Promise<RecordedScan[]> {
  requireBinary();
  const out: RecordedScan[] = [];
  const losses = [...new Set(scenarios.map((s) => s.loss))];
  for (const loss of losses) {
    await withLab(loss, async (lab) => {
      for (const [i, scenario] of scenarios.entries()) {
        if (scenario.loss !== loss) continue;
        const file = join(dir, `scan-${i + 1}.jsonl`);
        const wallSeconds = await runPrtip(lab, [...scenario.args, "--no-progress", "--event-log", file]);
        out.push({ scenario, file, wallSeconds });
      }
    });
  }
  return out.sort((a, b) => scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario));
}

export function readLines(file: string): string[] {
  return readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
}

// Test-side handle on scripts/lab.sh: bring a lab up under a fresh name, read
// its ground truth, run the SYN runner inside the scanner namespace, tear down.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { PortResult } from "../../src/scan/technique.ts";

export const ROOT = join(import.meta.dir, "../..");
const LAB = join(ROOT, "scripts/lab.sh");
const BUN = join(ROOT, "node_modules/.bin/bun");

export interface Verdict {
  state: PortResult["state"];
  reason: PortResult["reason"];
}

export interface Truth {
  name: string;
  scannerNs: string;
  targetNs: string;
  scannerDevice: string;
  targetMac: string;
  loss: number;
  openPorts: number[];
  hosts: Record<string, { default: Verdict; ports: Record<string, Verdict> }>;
}

export interface Lab {
  truth: Truth;
  down(): void;
}

export function labUp(options: { loss?: number; extraHosts?: number } = {}): Lab {
  const name = `prtip-lab-${randomBytes(4).toString("hex")}`;
  const args = ["up", name];
  if (options.loss) args.push("--loss", String(options.loss));
  if (options.extraHosts) args.push("--extra-hosts", String(options.extraHosts));
  const down = () => void spawnSync(LAB, ["down", name], { stdio: "ignore" });
  try {
    const path = execFileSync(LAB, args, { encoding: "utf8" }).trim();
    return { truth: JSON.parse(readFileSync(path, "utf8")) as Truth, down };
  } catch (e) {
    down();
    throw e;
  }
}

export function expected(truth: Truth, host: string, port: number): Verdict {
  const h = truth.hosts[host];
  if (!h) throw new Error(`host ${host} is not in the lab`);
  return h.ports[String(port)] ?? h.default;
}

/** Ports worth asking about: every special port of the truth plus `extra`. */
export function interestingPorts(truth: Truth, extra: number[]): number[] {
  const set = new Set(extra);
  for (const h of Object.values(truth.hosts)) for (const p of Object.keys(h.ports)) set.add(Number(p));
  return [...set].sort((a, b) => a - b);
}

export interface SynRun {
  results: PortResult[];
  summary: Record<string, unknown>;
  stderr: string;
}

/** Runs scripts/syn-scan.ts inside the lab's scanner namespace. */
export async function runSyn(truth: Truth, args: string[]): Promise<SynRun> {
  const child = spawn("ip", ["netns", "exec", truth.scannerNs, BUN, join(ROOT, "scripts/syn-scan.ts"), ...args], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`syn-scan exited ${code}: ${stderr}`);
  const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  const summary = lines.pop()!;
  return { results: lines as unknown as PortResult[], summary, stderr };
}

/** Starts the lab listeners inside the scanner namespace itself (for loopback scans); returns a stopper. */
export async function scannerListeners(truth: Truth, ports: number[]): Promise<() => void> {
  const ready = join("/tmp", `${truth.name}-lo-ready`);
  const child = spawn("ip", ["netns", "exec", truth.scannerNs, BUN, join(ROOT, "test/lab/listeners.ts"), ports.join(","), ready], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if (readFileSync(ready, "utf8")) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return () => {
    child.kill();
    rmSync(ready, { force: true });
  };
}

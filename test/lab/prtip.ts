// The compiled binary inside a lab: run dist/prtip in the scanner namespace,
// read its -oJ stream, count packets with iptables rules in the target namespace.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary } from "../e2e/harness.ts";
import type { Truth } from "./lab.ts";

export type JsonEvent = Record<string, unknown> & { event: string };

export interface PrtipRun {
  code: number | null;
  events: JsonEvent[];
  stderr: string;
  pid: number;
}

export interface RunOptions {
  /** Run as nobody:nogroup with no supplementary groups (setpriv). */
  asNobody?: boolean;
  /** A path to the binary other than dist/prtip (one nobody can execute). */
  binary?: string;
  /** Called with the child's pid once it runs (for sampling while it scans). */
  onStart?(pid: number): void;
}

/** `ip netns exec <scannerNs> dist/prtip ARGS`; stdout must be an -oJ stream. */
export async function runPrtip(truth: Truth, args: string[], options: RunOptions = {}): Promise<PrtipRun> {
  const binary = options.binary ?? ensureBinary();
  const user = options.asNobody ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] : [];
  const child = spawn("ip", ["netns", "exec", truth.scannerNs, ...user, binary, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/tmp" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  options.onStart?.(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const events = stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as JsonEvent);
  return { code, events, stderr, pid: child.pid! };
}

/** dist/prtip copied where nobody can execute it (the checkout may sit under /root). */
export function binaryForNobody(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "prtip-nobody-"));
  chmodSync(dir, 0o755);
  const path = join(dir, "prtip");
  copyFileSync(ensureBinary(), path);
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PortLine {
  event: string;
  target: string;
  port: number;
  protocol: string;
  state: string;
  reason: string;
}

export const portLines = (events: JsonEvent[]): PortLine[] =>
  events.filter((e) => e.event === "PortFound" || e.event === "IPv6PortFound") as unknown as PortLine[];

export const only = (events: JsonEvent[], type: string): JsonEvent[] => events.filter((e) => e.event === type);

/** An iptables (or ip6tables) rule without a verdict in the target namespace: it only counts. */
export class PacketCounter {
  private readonly tag: string;
  constructor(
    private readonly truth: Truth,
    private readonly match: string[],
    private readonly chain = "INPUT",
    private readonly tool: "iptables" | "ip6tables" = "iptables",
  ) {
    this.tag = `prtip-count-${Math.random().toString(36).slice(2, 10)}`;
    this.exec(["-I", chain, "1", ...match, "-m", "comment", "--comment", this.tag]);
  }

  private exec(args: string[]): string {
    const r = spawnSync("ip", ["netns", "exec", this.truth.targetNs, this.tool, "-w", ...args], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${this.tool} ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  }

  private parse(listing: string): number {
    const line = listing.split("\n").find((l) => l.includes(this.tag));
    if (!line) throw new Error(`counting rule ${this.tag} is gone`);
    return Number(line.trim().split(/\s+/)[0]);
  }

  packets(): number {
    return this.parse(this.exec(["-nvxL", this.chain]));
  }

  /** The same count without blocking the event loop (for sampling during a scan). */
  async packetsAsync(): Promise<number> {
    const child = spawn("ip", ["netns", "exec", this.truth.targetNs, this.tool, "-w", "-nvxL", this.chain], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.on("close", resolve));
    return this.parse(out);
  }

  remove(): void {
    this.exec(["-D", this.chain, ...this.match, "-m", "comment", "--comment", this.tag]);
  }
}

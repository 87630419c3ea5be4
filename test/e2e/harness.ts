import { createServer } from "node:net";
// Runs prtip as a user would: the compiled Bun binary, and the same source under Deno.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { DENO_PERMISSIONS } from "../../scripts/deno-permissions.ts";

export const ROOT = join(import.meta.dir, "../..");
export const BINARY = join(ROOT, "dist/prtip");
const DENO = join(ROOT, "node_modules/.bin/deno");

let built = false;

/** Builds dist/prtip once per test process, unless it is newer than every source file. */
export function ensureBinary(): string {
  if (built) return BINARY;
  const result = Bun.spawnSync(["npm", "run", "-s", "build"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0 || !existsSync(BINARY)) {
    throw new Error(`npm run build failed: ${result.stderr.toString()}`);
  }
  built = statSync(BINARY).size > 0;
  return BINARY;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  /**
   * Run in a network namespace of its own (`unshare -n`, root only): a lookup of a
   * name that is not local fails there at once, and no DNS query leaves the machine.
   */
  offline?: boolean;
}

function spawnOptions(options: RunOptions) {
  return {
    cwd: options.cwd ?? ROOT,
    // No services file unless a test names one: a port prtip's table leaves unnamed reads
    // "unknown" whether or not nmap is installed on the machine running the tests.
    env: { PRTIP_NMAP_SERVICES: "", ...(options.env ?? { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root" }) },
    stdin: options.stdin === undefined ? ("ignore" as const) : Buffer.from(options.stdin),
    stdout: "pipe" as const,
    stderr: "pipe" as const,
  };
}

function command(cmd: string[], options: RunOptions): string[] {
  return options.offline ? ["unshare", "-n", ...cmd] : cmd;
}

function run(cmd: string[], options: RunOptions): Run {
  const r = Bun.spawnSync(command(cmd, options), spawnOptions(options));
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

export function runBinary(args: string[], options: RunOptions = {}): Run {
  return run([ensureBinary(), ...args], options);
}

/** For tests whose servers live in this process: a synchronous spawn would starve them. */
async function runAsync(cmd: string[], options: RunOptions): Promise<Run> {
  const child = Bun.spawn(command(cmd, options), spawnOptions(options));
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

export function runBinaryAsync(args: string[], options: RunOptions = {}): Promise<Run> {
  return runAsync([ensureBinary(), ...args], options);
}

export function runDenoAsync(args: string[], options: RunOptions = {}): Promise<Run> {
  return runAsync(denoCommand(args), options);
}

/** The Deno entry with the permission set of `npm run prtip:deno`. */
export function runDeno(args: string[], options: RunOptions = {}): Run {
  return run(denoCommand(args), options);
}

function denoCommand(args: string[]): string[] {
  return [DENO, "run", "-q", ...DENO_PERMISSIONS, join(ROOT, "src/main.ts"), ...args];
}

/** Outputs compared across runtimes with the parts that differ by nature masked. */
export function normalise(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "<time>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/\b\d+(\.\d+)?s\b/g, "<secs>")
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, "<date>")
    .replace(/\w{3} \w{3} +\d+ \d{2}:\d{2}:\d{2} \d{4}/g, "<ctime>")
    .replace(/scanned in [\d.]+ seconds/g, "scanned in <secs> seconds")
    .replace(/"(duration|latency_ms)":[\d.]+/g, '"$1":<n>');
}

const PROGRESS = '"event":"ProgressUpdate"';

/**
 * An event log's lines without its ProgressUpdate ones: they come every 250 ms, so a run the
 * machine slowed has more of them. log_ended counts them too, so its count becomes the rest's
 * count plus "+progress": still checked, no longer timing-dependent. Nothing else is dropped.
 */
export function withoutProgress(log: string): string[] {
  const lines = log.split("\n").filter((l) => l !== "");
  const kept = lines.filter((l) => !l.includes(PROGRESS));
  const events = kept.filter((l) => !/^\{"event":"log_(started|ended)"/.test(l)).length;
  return kept.map((l) => (l.startsWith('{"event":"log_ended"') ? l.replace(/"events":\d+/, `"events":${events}+progress`) : l));
}

/** A TCP port on 127.0.0.1 nothing listens on now (bound, then let go). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DENO_PERMISSIONS } from "../../scripts/deno-permissions.ts";
import { expected, interestingPorts, labUp, type Lab } from "../lab/lab.ts";
import { ensureBinary, normalise, ROOT, type Run, withoutProgress } from "./harness.ts";

// A SYN scan through libpcap inside the lab's scanner namespace, by the Bun
// binary and by the Deno entry (Deno.dlopen): the same verdicts, the same
// event log. Needs root, iproute2, iptables and libpcap (all in .ci/run).

const DENO = join(ROOT, "node_modules/.bin/deno");

function inLab(lab: Lab, cmd: string[]): Promise<Run> {
  const child = spawn("ip", ["netns", "exec", lab.truth.scannerNs, ...cmd], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

const bunScan = (lab: Lab, args: string[]) => inLab(lab, [ensureBinary(), ...args]);
const denoScan = (lab: Lab, args: string[]) => inLab(lab, [DENO, "run", "-q", ...DENO_PERMISSIONS, join(ROOT, "src/main.ts"), ...args]);

// ProgressUpdate comes every 250 ms, so how many a run has depends on the machine's load: left
// out of the set (and of log_ended's count, by withoutProgress), and the final 100% one checked on its own.
const eventSet = (text: string) =>
  normalise(withoutProgress(text).join("\n"))
    .replace(/"seq":\d+/g, '"seq":<n>')
    .replace(/"(metric)":"(rtt_ms|packets_received|bytes_received)","value":[\d.]+/g, '"$1":"$2","value":<n>')
    .replace(/"(pps|ports_per_sec|hosts_per_min|bandwidth_bps|eta_seconds)":[\d.]+/g, '"$1":<n>')
    .split("\n")
    .filter((l) => l !== "")
    .sort();
const FINAL_PROGRESS = /"event":"ProgressUpdate","scan_id":"[^"]+","stage":5,"percentage":100,/;

describe("SYN scan in the lab, Bun binary and Deno entry", () => {
  let lab: Lab;
  let dir = "";
  beforeAll(() => {
    ensureBinary();
    lab = labUp();
    dir = mkdtempSync(join(tmpdir(), "prtip-parity-lab-"));
    // prtip opens (and rotates) the event log after giving root up to nobody: nobody must be able to write here.
    chmodSync(dir, 0o1777);
  });
  afterAll(() => {
    lab?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  test("-sS -oJ - over every lab host gives identical events, matching the ground truth", async () => {
    const hosts = Object.keys(lab.truth.hosts);
    const ports = interestingPorts(lab.truth, [1, 23, 1024]);
    const args = ["-sS", "-Pn", "-v", "--max-retries", "1", "--seed", "7", "-p", ports.join(","), "-oJ", "-", ...hosts];
    // One after the other: both at once would share the lab link and race for it.
    const bun = await bunScan(lab, args);
    const deno = await denoScan(lab, args);
    expect(bun.code).toBe(0);
    const verdicts = (text: string) =>
      text
        .split("\n")
        .filter((l) => l.includes('PortFound"'))
        .map((l) => JSON.parse(l) as { target: string; port: number; state: string })
        .map((e) => `${e.target}:${e.port} ${e.state}`)
        .sort();
    const want = hosts.flatMap((h) => ports.map((p) => `${h}:${p} ${expected(lab.truth, h, p).state}`)).sort();
    expect(verdicts(bun.stdout)).toEqual(want);
    expect(eventSet(deno.stdout)).toEqual(eventSet(bun.stdout));
    expect(normalise(deno.stderr)).toBe(normalise(bun.stderr));
    expect(deno.code).toBe(bun.code);
  });

  test("the root-dropping SYN scan writes the same --event-log on both runtimes", async () => {
    const args = (who: string) => ["-sS", "-Pn", "--max-retries", "1", "-p", "22,23,80,135", "--event-log", join(dir, `${who}.jsonl`), "198.18.0.10", "2001:db8::10"];
    const bun = await bunScan(lab, args("bun"));
    const deno = await denoScan(lab, args("deno"));
    expect([bun.code, bun.stderr]).toEqual([0, ""]);
    expect([deno.code, deno.stderr]).toEqual([0, ""]);
    const bunLog = readFileSync(join(dir, "bun.jsonl"), "utf8");
    expect(bunLog).toContain('"state":"Filtered"');
    const denoLog = readFileSync(join(dir, "deno.jsonl"), "utf8");
    expect(eventSet(denoLog)).toEqual(eventSet(bunLog));
    for (const text of [bunLog, denoLog]) expect(text).toMatch(FINAL_PROGRESS);
  });
});

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ended, ev, gz, port, sampleLog, SCAN_B, started, tempDir, text } from "../analyze/helpers.ts";
import { normalise, runBinaryAsync, runDenoAsync, type Run, type RunOptions } from "./harness.ts";

// Every `prtip log` subcommand on the same fixture logs through the Bun binary
// and the Deno entry: stdout, stderr and exit code must be identical.

const fixtures = tempDir();
const paths: Record<string, string> = {};
// sampleLog() numbers events afresh on each call: one copy serves every fixture and check.
const SAMPLE = sampleLog();

beforeAll(() => {
  const sample = text(SAMPLE);
  paths.plain = fixtures.file("scan.jsonl", sample);
  paths.gz = fixtures.file("scan.jsonl.gz", gz(sample));
  // Two gzip members back to back, as an appending writer leaves them.
  const half = Math.floor(SAMPLE.length / 2);
  paths.multi = fixtures.file("multi.jsonl.gz", Buffer.concat([gz(text(SAMPLE.slice(0, half))), gz(text(SAMPLE.slice(half)))]));
  // A rotated pair in its own folder: the first file hands over to the second.
  const first = [started(0), port(1, "198.18.0.1", 22), port(2, "198.18.0.1", 80), ended(3, 2, ',"reason":"rotated","next":"rot.2.jsonl"')];
  const second = [started(3, ',"continues":"rot.jsonl"'), port(4, "198.18.0.2", 443), ended(5, 1)];
  mkdirSync(join(fixtures.dir, "rotated"));
  fixtures.file("rotated/rot.2.jsonl", text(second));
  fixtures.file("rotated/rot.jsonl", text(first));
  paths.rotated = join(fixtures.dir, "rotated");
  // Scan B for diff: 80 closed, 8443 opened, a new host, a changed service.
  const b = [
    started(0),
    ev("ScanStarted", 0, { scan_type: "Syn", target_count: 4, port_count: 3 }, SCAN_B),
    port(3, "198.18.0.1", 22, "Open", SCAN_B),
    port(4, "198.18.0.1", 80, "Closed", SCAN_B),
    port(5, "198.18.0.1", 8443, "Open", SCAN_B),
    port(6, "198.18.0.7", 22, "Open", SCAN_B),
    ev("ServiceDetected", 8, { target: "198.18.0.1", port: 22, service: "SSH", version: "OpenSSH 9.6p1", confidence: 90 }, SCAN_B),
    ev("ScanCompleted", 9, { targets_scanned: 4, ports_scanned: 12, duration: 0.009, hosts_up: 2, open_ports: 3, closed_ports: 1, filtered_ports: 8, services_detected: 1 }, SCAN_B),
    ended(10, 7),
  ];
  paths.b = fixtures.file("b.jsonl", text(b));
  paths.damaged = fixtures.file("damaged.jsonl", text([...SAMPLE.slice(0, 4), "{not json", ...SAMPLE.slice(4)]));
});

afterAll(() => fixtures.cleanup());

async function expectSame(args: string[], options: RunOptions = {}): Promise<Run> {
  const [bun, deno] = await Promise.all([runBinaryAsync(args, options), runDenoAsync(args, options)]);
  expect(normalise(deno.stdout)).toBe(normalise(bun.stdout));
  expect(normalise(deno.stderr)).toBe(normalise(bun.stderr));
  expect(deno.code).toBe(bun.code);
  return bun;
}

const at = (name: string) => () => paths[name]!;
const cases: [string, (() => string)[], string[], (run: Run) => void][] = [
  ["filter, every line byte for byte", [at("plain")], ["log", "filter"], (r) => expect(r.stdout).toBe(text(SAMPLE.slice(1, -1)))],
  ["filter --event --format table", [at("plain")], ["log", "filter", "--event", "PortFound,IPv6PortFound", "--format", "table"], (r) => expect(r.stdout).toContain("2001:db8::5")],
  ["filter --category --port --format csv", [at("gz")], ["log", "filter", "--category", "discovery", "--port", "22,80-90", "--format", "csv"], (r) => expect(r.stdout).toContain("198.18.0.1")],
  ["filter --target --where --format json", [at("multi")], ["log", "filter", "--target", "198.18.0.0/24", "--where", "state=Open", "--where", "port>21", "--format", "json"], (r) => expect([r.stdout.includes("198.18.0.1"), r.stdout.includes("198.18.1.9")]).toEqual([true, false])],
  ["filter --since --until --count", [at("plain")], ["log", "filter", "--since", "2024-11-15T10:30:00.004Z", "--until", "2024-11-15T10:30:00.012Z", "--count"], (r) => expect(r.stdout.trim()).toMatch(/^\d+$/)],
  ["filter --count-by --top", [at("plain")], ["log", "filter", "--count-by", "target", "--top", "2"], (r) => expect(r.stdout).toContain("198.18.0.1")],
  ["filter --scan-id on a rotated pair", [at("rotated")], ["log", "filter", "--scan-id", "3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b", "--event", "PortFound"], (r) => expect(r.stdout).toContain("198.18.0.2")],
  ["summary table", [at("plain")], ["log", "summary"], (r) => expect(r.stdout).toContain("OpenSSH")],
  ["summary --json on .gz", [at("gz")], ["log", "summary", "--json"], (r) => expect(r.stdout).toContain("{")],
  ["summary --markdown on multi-member .gz", [at("multi")], ["log", "summary", "--markdown"], (r) => expect(r.stdout).toContain("|")],
  ["summary of a rotated pair", [at("rotated")], ["log", "summary", "--json"], (r) => expect(r.stdout).toContain("198.18.0.2")],
  ["replay --emit --speed max", [at("plain")], ["log", "replay", "--emit", "--speed", "max"], (r) => expect(r.stdout).toContain("PortFound")],
  ["replay --from --to --max-gap", [at("gz")], ["log", "replay", "--emit", "--speed", "max", "--max-gap", "1ms", "--from", "2024-11-15T10:30:00.003Z", "--to", "2024-11-15T10:30:00.008Z"], (r) => expect(r.stdout).toContain("PortFound")],
  ["tail -n 3", [at("plain")], ["log", "tail", "-n", "3"], (r) => expect(r.stdout.trim().split("\n")).toHaveLength(3)],
  ["tail across a rotated pair", [at("rotated")], ["log", "tail", "-n", "2"], (r) => expect(r.stdout.match(/"port":\d+/g)).toEqual(['"port":80', '"port":443'])],
  ["diff A B", [at("plain"), at("b")], ["log", "diff"], (r) => expect(r.stdout).toContain("8443")],
  ["a damaged line is skipped with exit 3", [at("damaged")], ["log", "summary"], (r) => expect([r.code, r.stdout.includes("OpenSSH")]).toEqual([3, true])],
  ["--strict stops at the damaged line", [at("damaged")], ["log", "filter", "--strict"], (r) => expect(r.code).toBe(1)],
  ["a usage error", [at("plain")], ["log", "filter", "--format", "yaml"], (r) => expect(r.code).toBe(2)],
];

for (const [name, files, args, check] of cases) {
  test(`log ${name}: identical on Bun and Deno`, async () => {
    check(await expectSame([...args, ...files.map((f) => f())]));
  });
}

test("log filter reads stdin identically on Bun and Deno", async () => {
  const run = await expectSame(["log", "filter", "--event", "ServiceDetected", "-"], { stdin: text(SAMPLE) });
  expect(run.stdout).toContain("OpenSSH 9.2p1");
});

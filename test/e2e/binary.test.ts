import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { gunzipSync } from "fflate";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary, normalise, ROOT, runBinary, runDeno } from "./harness.ts";

/** Runs `body` with a copy of the binary alone in an empty folder (removed afterwards). */
function withLoneCopy(body: (copy: string, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "prtip-bin-"));
  try {
    const copy = join(dir, "prtip");
    copyFileSync(ensureBinary(), copy);
    Bun.spawnSync(["chmod", "755", copy]);
    body(copy, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the compiled binary", () => {
  test("two builds at once never leave dist/prtip unrunnable: a prtip started meanwhile never fails with ETXTBSY", async () => {
    const binary = ensureBinary();
    // Two test processes in one checkout each build; two chains of builds side by side do the same.
    const chain = "npm run -s build && npm run -s build && npm run -s build";
    const builds = Bun.spawn(["bash", "-c", `(${chain}) & ${chain}; s=$?; wait $! && exit $s`], { cwd: ROOT, stdout: "ignore", stderr: "ignore" });
    let building = true;
    const built = builds.exited.finally(() => (building = false));
    const failures = new Map<string, number>();
    let started = 0;
    while (building) {
      try {
        await Bun.spawn([binary, "--version"], { stdout: "ignore", stderr: "ignore" }).exited;
        started++;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        failures.set(code, (failures.get(code) ?? 0) + 1);
        await Bun.sleep(1);
      }
    }
    expect(await built).toBe(0);
    expect(Object.fromEntries(failures)).toEqual({});
    expect(started).toBeGreaterThan(0);
  }, 60_000);

  test("runs from a copy in an empty folder with an empty PATH", () => {
    withLoneCopy((copy, dir) => {
      const r = Bun.spawnSync([copy, "--version"], { cwd: dir, env: { PATH: "" }, stdout: "pipe", stderr: "pipe" });
      expect(r.stderr.toString()).toBe("");
      expect(r.stdout.toString()).toMatch(/^prtip \d+\.\d+\.\d+\n$/);
      expect(r.exitCode).toBe(0);
    });
  });

  test("a copy with an empty PATH gzips its rotated event logs (the gzip thread is inside the binary)", () => {
    withLoneCopy((copy, dir) => {
      const args = ["-sT", "-p", "1-400", "-n", "127.0.0.1", "--event-log", join(dir, "logs", "s.jsonl"), "--event-log-rotation", "size"];
      const r = Bun.spawnSync([copy, ...args, "--event-log-max-size", "8000", "--event-log-compression"], { cwd: dir, env: { PATH: "" }, stderr: "pipe" });
      expect(r.stderr.toString()).toBe("");
      expect(r.exitCode).toBe(0);
      const files = readdirSync(join(dir, "logs"));
      // Every file but the one written last is compressed.
      expect(files.filter((f) => f.endsWith(".jsonl.gz")).length).toBeGreaterThan(3);
      expect(files.filter((f) => !f.endsWith(".jsonl.gz"))).toHaveLength(1);
      const text = (f: string) => (f.endsWith(".gz") ? new TextDecoder().decode(gunzipSync(readFileSync(join(dir, "logs", f)))) : readFileSync(join(dir, "logs", f), "utf8"));
      const seqs = files.flatMap((f) => text(f).trim().split("\n").map((l) => (JSON.parse(l) as { seq?: number }).seq ?? null)).filter((s) => s !== null);
      expect(seqs.sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i + 1));
    });
  });

  test("--help lists the commands and the scan flags of the design", () => {
    const r = runBinary(["--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["-sS", "-sT", "-sU", "-p-", "--top-ports", "-Pn", "-iL", "--exclude", "-T0", "--max-rate", "-sV", "-O", "-oA", "--live", "--event-log", "--event-log-rotation", "--shard", "log replay"]) {
      expect(r.stdout).toContain(flag);
    }
  });

  test("-p takes service names (ssh,http is 22, 80 and 8008); an unknown name or port 0 exits 2 naming it", () => {
    const r = runBinary(["-sT", "-Pn", "-n", "--no-progress", "-p", "ssh,http", "-oG", "-", "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\tPorts: 22\/\w+\/tcp\/\/ssh\/\/\/, 80\/\w+\/tcp\/\/http\/\/\/, 8008\/\w+\/tcp\/\/http\/\/\/\n/);
    const bad = runBinary(["-sT", "-p", "htp", "127.0.0.1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('prtip: invalid port "htp": no service of that name in prtip\'s port names\n');
    const zero = runBinary(["-sT", "-p", "0-5", "127.0.0.1"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe('prtip: invalid port range "0-5": prtip scans ports 1-65535 (port 0 is reserved and never listened on)\n');
  });

  test("a bad flag value exits 2 with one line on stderr naming it", () => {
    const r = runBinary(["-T9", "127.0.0.1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('prtip: invalid value for --timing (-T) "9": expected 0-5 or one of paranoid, sneaky, polite, normal, aggressive, insane\n');
    expect(r.stdout).toBe("");
  });

  test("an unknown long option is named the way an unknown short one is", () => {
    for (const [flag, code] of [["--traceroute", 2], ["-Z", 2]] as const) {
      const r = runBinary([flag, "127.0.0.1"]);
      expect(r.code).toBe(code);
      expect(r.stderr).toBe(`prtip: unknown option "${flag}": see prtip --help\n`);
    }
  });
});

describe("Bun binary and Deno entry agree", () => {
  const cases: string[][] = [["--version"], ["--help"], ["-T9", "127.0.0.1"], ["--bogus", "x"], ["-Z"]];
  for (const args of cases) {
    test(`prtip ${args.join(" ")}`, () => {
      const bun = runBinary(args);
      const deno = runDeno(args);
      expect(normalise(deno.stdout)).toBe(normalise(bun.stdout));
      expect(normalise(deno.stderr)).toBe(normalise(bun.stderr));
      expect(deno.code).toBe(bun.code);
    });
  }
});

import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { normalise, runBinaryAsync, runDenoAsync } from "./harness.ts";

// Port names from a services file named by PRTIP_NMAP_SERVICES, as the compiled
// binary and the Deno entry (with its permission list) read it. Only 127.0.0.1 is scanned;
// the names do not depend on the ports' states.

const SAMPLE = join(import.meta.dir, "../fixtures/nmap-services-sample");
const ARGS = ["-sT", "-Pn", "--no-progress", "-p", "2525,8080", "-oG", "-", "127.0.0.1"];
const env = (file: string) => ({ env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", PRTIP_NMAP_SERVICES: file } });

describe("PRTIP_NMAP_SERVICES", () => {
  test("names the ports prtip's table does not, on Bun and Deno alike; prtip's own names stay", async () => {
    const [bun, deno] = await Promise.all([runBinaryAsync(ARGS, env(SAMPLE)), runDenoAsync(ARGS, env(SAMPLE))]);
    expect(bun.code).toBe(0);
    expect(bun.stdout).toMatch(/\b2525\/\w+\/tcp\/\/fixture-mail\/\/\//);
    expect(bun.stdout).toMatch(/\b8080\/\w+\/tcp\/\/http-alt\/\/\//);
    expect(normalise(deno.stdout)).toBe(normalise(bun.stdout));
    expect(deno.stderr).toBe("");
  });

  test("a PRTIP_NMAP_SERVICES that names no file is refused before the scan, in one line naming it (exit 2)", async () => {
    const missing = join(import.meta.dir, "no-such-services-file");
    const r = await runBinaryAsync(ARGS, env(missing));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`prtip: invalid PRTIP_NMAP_SERVICES ${JSON.stringify(missing)}: cannot read it: No such file or directory (set it empty to read no services file)\n`);
    expect(r.stdout).toBe("");
  });
});

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { ensureBinary, freePort, runBinaryAsync } from "./harness.ts";

// Which technique a scan of 127.0.0.0/8 runs, and what prtip says about it,
// with and without root. Only loopback is scanned.

const isRoot = process.getuid?.() === 0;
const asNobody = isRoot && spawnSync("setpriv", ["--version"]).status === 0;
const readSysctl = (name: string) => {
  try {
    return readFileSync(`/proc/sys/net/ipv4/conf/lo/${name}`, "utf8").trim();
  } catch {
    return "";
  }
};
// With both on, SYN on lo works and prtip rightly keeps it.
const loDropsInjected = readSysctl("route_localnet") !== "1" || readSysctl("accept_local") !== "1";
let server: Server;
let open = 0;
let closed = 0;


beforeAll(async () => {
  ensureBinary();
  server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  open = (server.address() as { port: number }).port;
  closed = await freePort();
}, 120_000);

afterAll(() => server.close());

const states = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => /^\d+\/tcp /.test(l))
    .map((l) => l.split(/\s+/).slice(0, 2).join(" "));

const prtipLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("prtip:"));

describe.skipIf(!isRoot || !loDropsInjected)("as root on 127.0.0.0/8, where Linux drops SYNs injected on lo", () => {
  test("-sS scans with connect and says why in one line, so ports read open and closed, not filtered", async () => {
    const r = await runBinaryAsync(["-sS", "-Pn", "--no-progress", "-p", `${open},${closed}`, "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(states(r.stdout).sort()).toEqual([`${open}/tcp open`, `${closed}/tcp closed`].sort());
    expect(prtipLines(r.stderr)).toEqual([expect.stringContaining("route_localnet")]);
    expect(r.stderr).toContain("using connect scan (-sT)");
  });

  test("without -sS it scans with connect silently, as before", async () => {
    const r = await runBinaryAsync(["-Pn", "--no-progress", "-p", `${open},${closed}`, "127.0.0.1"]);
    expect(states(r.stdout).sort()).toEqual([`${open}/tcp open`, `${closed}/tcp closed`].sort());
    expect(prtipLines(r.stderr)).toEqual([]);
  });

  test("-O says it is skipped because 127.0.0.0/8 is scanned with connect, not for want of root", async () => {
    const r = await runBinaryAsync(["-O", "-Pn", "--no-progress", "-p", String(open), "127.0.0.1"]);
    expect(r.code).toBe(0);
    const lines = prtipLines(r.stderr);
    expect(lines).toEqual([expect.stringContaining("OS detection (-O)")]);
    expect(lines[0]).toContain("on 127.0.0.0/8 prtip scans with connect");
    expect(lines[0]).not.toContain("root");
  });
});

describe.skipIf(!asNobody)("unprivileged", () => {
  // Async: the listener lives in this process and a synchronous spawn would starve it.
  async function nobody(args: string[]) {
    const child = Bun.spawn(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", ensureBinary(), ...args], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { code, stdout, stderr };
  }

  test("without any -s flag connect is simply the default: nothing is said about SYN", async () => {
    const r = await nobody(["-Pn", "--no-progress", "-p", String(open), "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(prtipLines(r.stderr)).toEqual([]);
    expect(states(r.stdout)).toEqual([`${open}/tcp open`]);
  });

  test("-sS says once that it needs root and uses connect", async () => {
    const r = await nobody(["-sS", "-Pn", "--no-progress", "-p", String(open), "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(prtipLines(r.stderr)).toEqual(["prtip: SYN scan (-sS) needs root or CAP_NET_RAW; using connect scan (-sT)"]);
  });

  test("-O says it needs root", async () => {
    const r = await nobody(["-O", "-Pn", "--no-progress", "-p", String(open), "127.0.0.1"]);
    expect(prtipLines(r.stderr)).toEqual([expect.stringContaining("root or CAP_NET_RAW")]);
  });
});

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./harness.ts";

// The compiled binary against listeners this test opens on loopback. Nothing
// here sends a packet anywhere but 127.0.0.0/8 and ::1.

const ROOT = resolve(import.meta.dir, "../..");
const PRTIP = join(ROOT, "dist/prtip");
const servers: Server[] = [];
let open4: number[] = [];
let closed4 = 0;
let open6: number | null = null;
let dir = "";

async function listen(host: string): Promise<number | null> {
  const server = createServer((s) => s.destroy());
  const ok = await new Promise<boolean>((r) => {
    server.once("error", () => r(false));
    server.listen(0, host, () => r(true));
  });
  if (!ok) return null;
  servers.push(server);
  return (server.address() as { port: number }).port;
}


function prtip(args: string[], input?: string, offline = false) {
  // offline: in a network namespace of its own, where a name lookup fails without a query leaving the machine.
  const cmd = offline ? ["unshare", "-n", PRTIP, ...args] : [PRTIP, ...args];
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: "utf8", input, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  const build = spawnSync("npm", ["run", "-s", "build"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  open4 = [(await listen("127.0.0.1"))!, (await listen("127.0.0.1"))!];
  closed4 = await freePort();
  open6 = await listen("::1");
  dir = mkdtempSync(join(tmpdir(), "prtip-e2e-"));
}, 120_000);

afterAll(() => {
  for (const s of servers) s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("prtip -sT on loopback", () => {
  test("the README's first command works", () => {
    const r = prtip(["-sT", "-p", "1-1024", "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("prtip scan report for 127.0.0.1");
    expect(r.stdout).toMatch(/prtip done: 1 IP address \(1 host up\) scanned in [\d.]+ seconds/);
  });

  test("listeners are open, a free port is closed, exit 0", () => {
    const ports = [...open4, closed4].join(",");
    const r = prtip(["-sT", "-p", ports, "127.0.0.1", "-oG", "-"]);
    expect(r.code).toBe(0);
    const portsLine = r.stdout.split("\n").find((l) => l.includes("\tPorts: "))!;
    for (const p of open4) expect(portsLine).toContain(`${p}/open/tcp//`);
    expect(portsLine).toContain(`${closed4}/closed/tcp//`);
  });

  test("IPv6 loopback: the ::1 listener is open", () => {
    if (open6 === null) return; // no IPv6 loopback on this machine: nothing to scan
    const r = prtip(["-sT", "-p", String(open6), "::1", "-oJ", "-"]);
    expect(r.code).toBe(0);
    const first = JSON.parse(r.stdout.split("\n")[0]!);
    expect(first).toMatchObject({ event: "IPv6PortFound", target: "::1", port: open6, state: "Open", reason: "connect" });
  });

  test("-oX writes XML that validates against nmap.dtd; -oA writes all three", () => {
    const base = join(dir, "all");
    const r = prtip(["-sT", "-p", open4.join(","), "127.0.0.1", "-oA", base]);
    expect(r.code).toBe(0);
    const lint = spawnSync("xmllint", ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", `${base}.xml`], { encoding: "utf8" });
    expect(lint.stderr).toBe("");
    expect(readFileSync(`${base}.gnmap`, "utf8")).toContain(`${open4[0]}/open/tcp`);
    expect(readFileSync(`${base}.nmap`, "utf8")).toContain(`${open4[0]}/tcp`);
  });

  test("--host-timeout 1s ends a slow scan after about a second, reporting the host skipped in -oN, -oG and nmap.dtd-valid -oX", () => {
    const base = join(dir, "timeout");
    const started = Date.now();
    const r = prtip(["-sT", "--no-progress", "--max-rate", "10", "-p", "1-100", "--host-timeout", "1s", "127.0.0.1", "-oA", base]);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(0);
    // 100 probes at 10/s take 10 s without the timeout.
    expect(seconds).toBeLessThan(4);
    expect(r.stdout).toContain("Skipping host 127.0.0.1 due to host timeout\n");
    expect(r.stdout).not.toContain("PORT");
    expect(r.stdout).toContain("1 IP address (1 host up) scanned in");
    expect(r.stderr).toBe("");
    expect(readFileSync(`${base}.gnmap`, "utf8")).toContain("Host: 127.0.0.1 ()\tStatus: Timeout\n");
    expect(readFileSync(`${base}.xml`, "utf8")).toContain('timedout="true"');
    const lint = spawnSync("xmllint", ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", `${base}.xml`], { encoding: "utf8" });
    expect(lint.stderr).toBe("");
  });

  test("nmap's own tools read the XML: ndiff sees a port appear, nmap.xsl renders it", () => {
    const [a, b] = [join(dir, "a.xml"), join(dir, "b.xml")];
    expect(prtip(["-sT", "-p", String(closed4), "127.0.0.1", "-oX", a]).code).toBe(0);
    expect(prtip(["-sT", "-p", `${closed4},${open4[0]}`, "127.0.0.1", "-oX", b]).code).toBe(0);
    const diff = spawnSync("ndiff", [a, b], { encoding: "utf8" });
    expect(diff.status).toBe(1); // 1: the scans differ
    expect(diff.stdout).toContain(`+${open4[0]}/tcp`);
    const html = spawnSync("xsltproc", ["/usr/share/nmap/nmap.xsl", b], { encoding: "utf8" });
    expect(html.status).toBe(0);
    expect(html.stdout).toContain(`>${open4[0]}<`);
  });

  test("--exclude wins over the targets, and -iL reads a target file", () => {
    const list = join(dir, "targets.txt");
    writeFileSync(list, "127.0.0.1\n127.0.0.2 # comment\n127.0.0.3\n");
    const r = prtip(["-sT", "-Pn", "-p", String(closed4), "-iL", list, "--exclude", "127.0.0.2", "-oG", "-"]);
    expect(r.code).toBe(0);
    const hosts = r.stdout.split("\n").filter((l) => l.includes("Status: Up")).map((l) => l.split(" ")[1]);
    expect(hosts).toEqual(["127.0.0.1", "127.0.0.3"]);
  });

  test("an output file the disk refuses (full) fails the scan with exit 1, naming the file", () => {
    const r = prtip(["-sT", "-p", String(closed4), "127.0.0.1", "-oX", "/dev/full"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('prtip: cannot write output file "/dev/full": No space left on device; it is incomplete\n');
    expect(r.stderr).not.toContain("    at ");
  });

  test("a refused --event-log stops the scan before any output file is touched: an existing one keeps its text, no new one appears", () => {
    const kept = join(dir, "kept.nmap");
    const fresh = join(dir, "fresh.gnmap");
    writeFileSync(kept, "an earlier report\n");
    const notALog = join(dir, "notes.jsonl");
    writeFileSync(notALog, "not a prtip log\n");
    // A folder that is a file (refused even to root), and a file that is not a prtip log.
    for (const log of [join(kept, "x.jsonl"), notALog]) {
      const r = prtip(["-sT", "-p", String(closed4), "127.0.0.1", "-oN", kept, "-oG", fresh, "--event-log", log]);
      expect(r.code).toBe(2);
      expect(r.stderr).toStartWith(`prtip: cannot open event log ${JSON.stringify(log)}: `);
      expect(r.stderr).not.toMatch(/: E[A-Z]+\n/);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(readFileSync(kept, "utf8")).toBe("an earlier report\n");
      expect(existsSync(fresh)).toBe(false);
    }
  });

  // Only root (or CAP_NET_RAW) reaches the SYN setup that reads the variable; nothing is sent: it stops first.
  test.skipIf(process.getuid?.() !== 0)("a bad PRTIP_SEND_THREADS for -sS is exit 2 with the -oN file left as it was", () => {
    const kept = join(dir, "kept-syn.nmap");
    writeFileSync(kept, "an earlier report\n");
    const r = spawnSync(PRTIP, ["-sS", "-p", String(closed4), "127.0.0.1", "-oN", kept], {
      encoding: "utf8",
      env: { ...process.env, PRTIP_SEND_THREADS: "9" },
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('prtip: PRTIP_SEND_THREADS must be a number from 0 to 8, got "9"\n');
    expect(readFileSync(kept, "utf8")).toBe("an earlier report\n");
  });

  test("an output file that cannot be written is refused (exit 2) before the event log is opened", () => {
    const log = join(dir, "untouched.jsonl");
    const r = prtip(["-sT", "-p", String(closed4), "127.0.0.1", "-oX", join(dir, "no-such-folder", "scan.xml"), "--event-log", log]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`prtip: cannot write output file ${JSON.stringify(join(dir, "no-such-folder", "scan.xml"))}: No such file or directory\n`);
    expect(existsSync(log)).toBe(false);
  });

  test("every output path or event log path that cannot be used is a usage error: exit 2, one line naming it, an existing -oN file left as it was", () => {
    const kept = join(dir, "kept-paths.nmap");
    const folder = join(dir, "a-folder");
    mkdirSync(folder, { recursive: true });
    writeFileSync(kept, "an earlier report\n");
    const cases: [string[], string][] = [
      [["-oN", folder], `prtip: cannot write output file ${JSON.stringify(folder)}: Is a directory\n`],
      [["-oN", "/nonexistent/x"], 'prtip: cannot write output file "/nonexistent/x": No such file or directory\n'],
      [["-oN", kept, "-oX", folder], `prtip: cannot write output file ${JSON.stringify(folder)}: Is a directory\n`],
      [["-oN", kept, "--event-log", folder], `prtip: cannot open event log ${JSON.stringify(folder)}: Is a directory\n`],
      [["-oN", kept, "--event-log", "/nonexistent/x.jsonl"], 'prtip: invalid event log path "/nonexistent/x.jsonl": '],
    ];
    for (const [paths, line] of cases) {
      const r = prtip(["-sT", "-Pn", "-p", String(closed4), "127.0.0.1", ...paths]);
      expect([r.code, r.stderr.split("\n").length]).toEqual([2, 2]);
      expect(r.stderr).toStartWith(line);
      expect(readFileSync(kept, "utf8")).toBe("an earlier report\n");
    }
  });

  test("a host name resolves through the system resolver, and the reports name the host by it as nmap's do", () => {
    const xml = join(dir, "named.xml");
    const r = prtip(["-sT", "-Pn", "-p", String(open4[0]), "localhost", "-oG", "-", "-oX", xml]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Host: 127.0.0.1 (localhost)\tPorts: ${open4[0]}/open/tcp//`);
    expect(readFileSync(xml, "utf8")).toContain('<hostnames>\n<hostname name="localhost" type="user"/>\n</hostnames>');
    const normal = prtip(["-sT", "-Pn", "-p", String(open4[0]), "localhost", "--no-progress"]);
    expect(normal.stdout).toContain("prtip scan report for localhost (127.0.0.1)\n");
  });

  test("-oJ - piped to head -1 gets the first open port within 1 s of its discovery", async () => {
    // A range around one listener keeps the scan short; what is measured is how soon the line arrives.
    const from = Math.max(1, open4[0]! - 1000);
    const child = spawn("sh", ["-c", `'${PRTIP}' -sT -p ${from}-${from + 2000} 127.0.0.1 -oJ - | head -1`]);
    const line = await new Promise<string>((resolveLine) => {
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes("\n")) resolveLine(text);
      });
    });
    const received = Date.now();
    const event = JSON.parse(line);
    expect(event.state).toBe("Open");
    expect(received - Date.parse(event.timestamp)).toBeLessThan(1000);
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(0);
  }, 30_000);

  test("--reason shows nmap's REASON column and why the host is up", () => {
    const r = prtip(["-sT", "--reason", "-p", `${open4[0]},${closed4}`, "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Host is up, received localhost-response");
    expect(r.stdout).toMatch(/\nPORT +STATE +SERVICE +REASON\n/);
    expect(r.stdout).toMatch(new RegExp(`\\n${closed4}/tcp +closed +\\S+ +conn-refused\\n`));
    expect(r.stdout).toMatch(new RegExp(`\\n${open4[0]}/tcp +open +\\S+ +syn-ack\\n`));
  });

  test("-q prints the results without the Starting header and the done footer", () => {
    const r = prtip(["-sT", "-q", "-p", String(open4[0]), "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("prtip scan report for 127.0.0.1\n");
    expect(r.stdout).not.toContain("prtip done");
  });

  test("SIGINT cancels, flushes partial results and exits 130", async () => {
    const child = spawn(PRTIP, ["-sT", "--max-rate", "50", "-p", "1-1000", "127.0.0.1"]);
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    await new Promise((r) => setTimeout(r, 700));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(130);
    expect(out).toContain("prtip cancelled: interrupted by SIGINT");
  }, 15_000);
});

describe("bad input exits 2 with one line naming the value", () => {
  test("an excluded name that does not resolve refuses the scan before any output file or log is created", () => {
    const out = join(dir, "refused.nmap");
    const log = join(dir, "refused.jsonl");
    const r = prtip(["-sT", "-Pn", "-p", "22", "--exclude", "nosuch.invalid", "127.0.0.1", "-oN", out, "--event-log", log], undefined, true);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('prtip: invalid exclude "nosuch.invalid": the name does not resolve\n');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(log)).toBe(false);
  });

  // Offline (unshare -n): every name below fails to resolve there, and no query leaves the machine.
  test("targets that all fail to resolve refuse the scan (exit 2, one line naming them) with no output file or log created or emptied", () => {
    const kept = join(dir, "kept-unresolved.nmap");
    const fresh = join(dir, "fresh-unresolved.xml");
    const log = join(dir, "unresolved.jsonl");
    writeFileSync(kept, "an earlier report\n");
    const r = prtip(["-sT", "-Pn", "-p", "22", "junk", "no-such-host.example", "-oN", kept, "-oX", fresh, "--event-log", log], undefined, true);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('prtip: no targets to scan: "junk" and "no-such-host.example" did not resolve (DNS lookup failed (EAI_AGAIN))\n');
    expect(readFileSync(kept, "utf8")).toBe("an earlier report\n");
    expect(existsSync(fresh)).toBe(false);
    expect(existsSync(log)).toBe(false);
  });

  test("-6 with only IPv4 targets is refused (exit 2) naming them, the -oN file left as it was", () => {
    const kept = join(dir, "kept-v6.nmap");
    writeFileSync(kept, "an earlier report\n");
    const r = prtip(["-sT", "-Pn", "-p", "22", "-6", "127.0.0.1", "-oN", kept], undefined, true);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('prtip: no targets to scan: "127.0.0.1" is IPv4, and -6 scans IPv6 addresses only (scan without -6)\n');
    expect(readFileSync(kept, "utf8")).toBe("an earlier report\n");
  });

  test("targets --exclude covers entirely are refused (exit 2), the -oN file left as it was", () => {
    const kept = join(dir, "kept-excluded.nmap");
    writeFileSync(kept, "an earlier report\n");
    const r = prtip(["-sT", "-Pn", "-p", "22", "127.0.0.1", "--exclude", "127.0.0.1", "-oN", kept], undefined, true);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("prtip: no targets to scan: --exclude/--excludefile leave none of them\n");
    expect(readFileSync(kept, "utf8")).toBe("an earlier report\n");
  });

  test("a name that does not resolve among targets that do is a warning, and the rest are scanned", () => {
    const out = join(dir, "partly.nmap");
    const r = prtip(["-sT", "-Pn", "-p", "22", "--no-progress", "junk", "127.0.0.1", "-oN", out], undefined, true);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('prtip: warning: failed to resolve "junk": DNS lookup failed (EAI_AGAIN)\n');
    expect(readFileSync(out, "utf8")).toContain("prtip scan report for 127.0.0.1\n");
  });

  test("-sL keeps listing as before: a name that does not resolve is a warning, not a refusal", () => {
    const r = prtip(["-sL", "junk"], undefined, true);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('prtip: warning: failed to resolve "junk": DNS lookup failed (EAI_AGAIN)\n');
  });

  test("two outputs on one file are refused before either is opened: the file keeps its text", () => {
    const same = join(dir, "same.out");
    writeFileSync(same, "an earlier report\n");
    for (const args of [["-oN", same, "-oG", same], ["-oN", same, "--event-log", same], ["-oA", join(dir, "dup"), "-oN", join(dir, "dup.nmap")]]) {
      const r = prtip(["-sT", "-p", String(closed4), "127.0.0.1", ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^prtip: invalid output file ".*": given to both -oN and (-oG|--event-log|-oA); each output needs a file of its own\n$/);
    }
    expect(readFileSync(same, "utf8")).toBe("an earlier report\n");
    expect(existsSync(join(dir, "dup.gnmap"))).toBe(false);
  });

  test("-oA base -oN other.nmap writes base.nmap and other.nmap, the same report", () => {
    const r = prtip(["-sT", "-p", String(closed4), "127.0.0.1", "-oA", join(dir, "both"), "-oN", join(dir, "other.nmap")]);
    expect(r.code).toBe(0);
    const base = readFileSync(join(dir, "both.nmap"), "utf8");
    expect(base).toContain(`${closed4}/tcp closed`);
    expect(readFileSync(join(dir, "other.nmap"), "utf8")).toBe(base);
    expect(existsSync(join(dir, "both.gnmap")) && existsSync(join(dir, "both.xml"))).toBe(true);
  });

  test("-p given twice is named as typed", () => {
    const r = prtip(["-sT", "-p", "22", "-p", "80", "127.0.0.1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("prtip: option -p was given more than once\n");
  });

  test("files that cannot be read or written are named with the system's words, not errno codes", () => {
    expect(prtip(["-sT", "-p", "22", "-iL", "/nonexistent/targets", "127.0.0.1"]).stderr).toBe(
      'prtip: cannot read target list (-iL) "/nonexistent/targets": No such file or directory\n',
    );
    expect(prtip(["-sT", "-p", "22", "-oG", "/", "127.0.0.1"]).stderr).toBe('prtip: cannot write output file "/": Is a directory\n');
    expect(prtip(["-sT", "-p", "22", "--config", "/tmp", "127.0.0.1"]).stderr).toBe('prtip: cannot read config file "/tmp": Is a directory\n');
  });

  const cases: [string[], string][] = [
    [["-sT", "-p", "70000-80", "127.0.0.1"], '"70000-80"'],
    [["-sT", "-p", "90-10", "127.0.0.1"], '"90-10"'],
    [["-sT", "-p", "22", "300.1.1.1"], '"300.1.1.1"'],
    [["-sT", "-p", "22", "127.0.0.0/33"], '"/33"'],
    [["-sT", "-p", "22", "--excludefile", "/nonexistent/prtip-excludes", "127.0.0.1"], '"/nonexistent/prtip-excludes"'],
    [["-sT", "-p", "22", "10.0.0.0/7"], "--confirm-large-scan"],
  ];
  for (const [args, named] of cases) {
    test(`prtip ${args.join(" ")}`, () => {
      const r = prtip(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(named);
    });
  }
});

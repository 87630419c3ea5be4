import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normaliseArgs } from "../../src/cli/nmap-args.ts";
import { parseScanFlags } from "../../src/cli/scan-flags.ts";
import { type FileSink, sinkForPaths } from "../../src/cli/output-files.ts";
import { scanOptions } from "../../src/cli/scan-options.ts";

const files: Record<string, string> = {
  "targets.txt": "127.0.0.1\n127.0.0.2\n",
  "skip.txt": "127.0.0.2\n",
  "skip-more.txt": "127.0.0.3\n",
  "three.txt": "127.0.0.1\n127.0.0.2\n127.0.0.3\n",
  "bad-skip.txt": "# lab hosts\r\n127.0.0.1\r\n\r\n127.0.0.2 127.0.0.999\r\n",
  "-": "127.0.0.1\n300.0.0.1\n",
};
const readList = async (path: string, what: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`cannot read ${what} "${path}"`);
  return text;
};

async function options(...argv: string[]) {
  const { argv: normal, verbosity } = normaliseArgs(argv);
  return scanOptions(parseScanFlags(normal, verbosity), readList);
}

describe("scan options", () => {
  test("defaults: -T3, its retries, the top 1000 ports, discovery on", async () => {
    const o = await options("127.0.0.1");
    expect(o.timing.name).toBe("normal");
    expect(o.maxRetries).toBe(10);
    expect(o.ports).toHaveLength(1000);
    expect(o.discovery).toBe(true);
    expect(o.technique).toBeNull();
  });

  test("-T4 brings its timeouts and retries; --max-retries overrides them", async () => {
    expect((await options("-T4", "127.0.0.1")).maxRetries).toBe(6);
    expect((await options("-T5", "--max-retries", "0", "127.0.0.1")).maxRetries).toBe(0);
    expect((await options("-T5", "127.0.0.1")).timing.maxTimeoutMs).toBe(300);
  });

  test("-iL and --excludefile are read; -Pn turns discovery off", async () => {
    const o = await options("-Pn", "-iL", "targets.txt", "--excludefile", "skip.txt", "-p", "22");
    expect(o.targets.estimatedCount).toBe(1n);
    expect(o.discovery).toBe(false);
  });

  test("--excludefile given twice excludes the targets of both files (nmap keeps only the last)", async () => {
    const o = await options("-sL", "-iL", "three.txt", "--excludefile", "skip.txt", "--excludefile", "skip-more.txt");
    expect(o.targets.estimatedCount).toBe(1n);
    expect(o.targets.exclude).toHaveLength(2);
  });

  test("-iL with command-line targets scans both and warns, naming the first three targets nmap 7.93 would ignore", async () => {
    const o = await options("-sL", "-iL", "targets.txt", "127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.8");
    expect(o.targets.estimatedCount).toBe(6n);
    expect(o.warnings).toEqual([
      "-iL targets.txt with targets on the command line: prtip scans both; nmap 7.93 scans only the list and ignores 127.0.0.5 127.0.0.6 127.0.0.7 … (4 targets)",
    ]);
    expect((await options("-sL", "-iL", "targets.txt")).warnings).toEqual([]);
  });

  test("a bad line in --excludefile or -iL is named with its file and line", async () => {
    const error = (...argv: string[]) => options(...argv).then(() => "", (err: Error) => err.message);
    expect(await error("--excludefile", "bad-skip.txt", "127.0.0.1")).toBe(
      'invalid IPv4 address "127.0.0.999": octets are 0-255, four of them at bad-skip.txt:4',
    );
    expect(await error("-iL", "bad-skip.txt")).toEndWith(" at bad-skip.txt:4");
    expect(await error("-iL", "-")).toBe('invalid IPv4 address "300.0.0.1": octets are 0-255, four of them at stdin:2');
  });

  test("-sn right before the targets keeps every target and scans no ports", async () => {
    const flags = parseScanFlags(normaliseArgs(["-sn", "198.18.0.10", "198.18.0.11"]).argv, 0);
    expect(flags.targets).toEqual(["198.18.0.10", "198.18.0.11"]);
    expect(flags.pingOnly).toBe(true);
    expect((await options("-sn", "127.0.0.1")).ports).toEqual([]);
  });

  test("-sn with -p, -F or --top-ports is refused naming the port choice (nmap: cannot use -F or -p when not doing a port scan)", () => {
    const parse = (...argv: string[]) => () => parseScanFlags(normaliseArgs(argv).argv, 0);
    expect(parse("-sn", "-p", "80", "127.0.0.1")).toThrow('-sn scans no ports, so -p "80" cannot go with it');
    expect(parse("-p", "80", "-sn", "127.0.0.1")).toThrow('-p "80"');
    expect(parse("-sn", "-F", "127.0.0.1")).toThrow("so -F cannot go with it");
    expect(parse("-sn", "--top-ports", "10", "127.0.0.1")).toThrow("so --top-ports 10 cannot go with it");
    expect(parse("-sn", "127.0.0.1")).not.toThrow();
  });

  test("every flag without a value, right before a target, leaves the target a target", () => {
    const cases: [string[], keyof ReturnType<typeof parseScanFlags>][] = [
      [["-sV"], "serviceVersion"],
      [["-O"], "osDetect"],
      [["--os-detect"], "osDetect"],
      [["--service-version"], "serviceVersion"],
      [["--event-log-compression"], "eventLogCompression"],
      [["--confirm-large-scan"], "confirmLarge"],
    ];
    for (const [args, key] of cases) {
      const flags = parseScanFlags(normaliseArgs([...args, "198.18.0.10"]).argv, 0);
      expect({ args, targets: flags.targets, set: flags[key] }).toEqual({ args, targets: ["198.18.0.10"], set: true });
    }
  });

  test("-oA BASE names the three nmap formats; -oJ - goes to stdout", async () => {
    const o = await options("-oA", "out/scan", "-oJ", "-", "127.0.0.1");
    expect(o.outputs).toEqual({ normal: ["out/scan.nmap"], grepable: ["out/scan.gnmap"], xml: ["out/scan.xml"], json: ["-"] });
  });

  test("-oA base -oN other.nmap writes both normal files, as nmap does", async () => {
    const o = await options("-oA", "base", "-oN", "other.nmap", "127.0.0.1");
    expect(o.outputs).toEqual({ normal: ["other.nmap", "base.nmap"], grepable: ["base.gnmap"], xml: ["base.xml"], json: [] });
  });

  test("-p 80,80 and -p 1-100,50 scan each port once, with one warning naming the repeats", async () => {
    const twice = await options("-p", "80,80", "127.0.0.1");
    expect({ ports: twice.ports, warnings: twice.warnings }).toEqual({
      ports: [80],
      warnings: ["-p names port 80 more than once (a repeat or overlapping ranges): each is scanned once"],
    });
    const overlap = await options("-p", "1-100,50", "127.0.0.1");
    expect(overlap.ports).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(overlap.warnings).toEqual(["-p names port 50 more than once (a repeat or overlapping ranges): each is scanned once"]);
    expect((await options("-p", "1-10,1-10", "127.0.0.1")).warnings).toEqual([
      "-p names ports 1,2,3,4,5,… (10 ports) more than once (a repeat or overlapping ranges): each is scanned once",
    ]);
  });

  test("a port under both protocols, or plain and under T:, counts as named twice only within one protocol", async () => {
    expect((await options("-sT", "-sU", "-p", "T:53,U:53", "127.0.0.1")).warnings).toEqual([]);
    expect((await options("-p", "22,80", "127.0.0.1")).warnings).toEqual([]);
    expect((await options("-p", "80,T:80", "127.0.0.1")).warnings).toEqual([
      "-p names port 80 more than once (a repeat or overlapping ranges): each is scanned once",
    ]);
  });

  test("-sT -sU -p U:53,T:80 gives TCP 80 to the connect scan and UDP 53 to the UDP pass", async () => {
    const o = await options("-sT", "-sU", "-p", "U:53,T:80", "127.0.0.1");
    expect({ technique: o.technique, ports: o.ports, udpPorts: o.udpPorts, warnings: o.warnings }).toEqual({
      technique: "connect",
      ports: [80],
      udpPorts: [53],
      warnings: [],
    });
  });

  test("-sS -sU --top-ports 20 scans each protocol's own top 20", async () => {
    const o = await options("-sS", "-sU", "--top-ports", "20", "127.0.0.1");
    expect(o.ports).toHaveLength(20);
    expect(o.udpPorts).toHaveLength(20);
    expect(o.ports).toContain(22);
    expect(o.udpPorts).not.toContain(22);
    expect(o.udpPorts).toContain(161);
  });

  test("-sU -F probes NTP, SNMP, IKE, the MSSQL browser and mDNS", async () => {
    const o = await options("-sU", "-F", "127.0.0.1");
    expect(o.ports).toHaveLength(100);
    for (const port of [123, 161, 500, 1434, 5353]) expect(o.ports).toContain(port);
  });

  test("a combined scan whose -p names one protocol's ports runs that protocol only, with a warning", async () => {
    const udp = await options("-sT", "-sU", "-p", "U:53", "127.0.0.1");
    expect({ technique: udp.technique, ports: udp.ports, udpPorts: udp.udpPorts }).toEqual({ technique: "udp", ports: [53], udpPorts: null });
    expect(udp.warnings).toEqual(["-p names no TCP ports (only U: ones): the TCP scan is skipped"]);
    const tcp = await options("-sT", "-sU", "-p", "T:80", "127.0.0.1");
    expect({ technique: tcp.technique, ports: tcp.ports, udpPorts: tcp.udpPorts }).toEqual({ technique: "connect", ports: [80], udpPorts: null });
  });

  test("-sT -p U:53,T:80 scans TCP 80 and warns that the U: ports are not scanned, as nmap does", async () => {
    const o = await options("-sT", "-p", "U:53,T:80", "127.0.0.1");
    expect({ ports: o.ports, udpPorts: o.udpPorts }).toEqual({ ports: [80], udpPorts: null });
    expect(o.warnings).toEqual(["-p names UDP ports (U:) but -sU was not given: they are not scanned"]);
  });

  test("-6 leaves IPv4 targets out of the plan, as nmap -6 does, and keeps IPv6 ones", async () => {
    const o = await options("-6", "-p", "22", "127.0.0.1", "::1");
    expect(o.family).toBe(6);
    expect(o.targets.skipped).toEqual(["127.0.0.1"]);
    expect(o.targets.estimatedCount).toBe(1n);
    // Without -6 both families are scanned.
    expect((await options("-p", "22", "127.0.0.1", "::1")).targets.estimatedCount).toBe(2n);
  });

  test("refusals name what is wrong", async () => {
    await expect(options()).rejects.toThrow("no targets given");
    await expect(options("--min-rate", "500", "--max-rate", "100", "127.0.0.1")).rejects.toThrow('invalid --min-rate "500"');
    await expect(options("-oN", "-", "-oX", "-", "127.0.0.1")).rejects.toThrow("only one output");
    await expect(options("-sn", "-Pn", "127.0.0.1")).rejects.toThrow("-sn and -Pn");
  });
});

describe("two outputs on one file are refused before anything is opened", () => {
  const error = (...argv: string[]) => options(...argv).then(() => "", (err: Error) => err.message);

  test("-oN x -oG x names the file and both flags", async () => {
    expect(await error("-oN", "same.out", "-oG", "same.out", "127.0.0.1")).toBe(
      'invalid output file "same.out": given to both -oN and -oG; each output needs a file of its own',
    );
  });

  test("-oA's files count: -oA dup -oN dup.nmap", async () => {
    expect(await error("-oA", "dup", "-oN", "dup.nmap", "127.0.0.1")).toBe(
      'invalid output file "dup.nmap": given to both -oN and -oA; each output needs a file of its own',
    );
  });

  test("the event log counts, and one file spelled two ways is one file", async () => {
    expect(await error("-oN", "x", "--event-log", "./x", "127.0.0.1")).toBe(
      'invalid output file "./x": given to both -oN and --event-log; each output needs a file of its own',
    );
    expect(await error("-oX", "out/../scan.xml", "-oJ", `${process.cwd()}/scan.xml`, "127.0.0.1")).toContain("given to both -oX and -oJ");
  });

  test("a symlink to another output's file is that file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prtip-outputs-"));
    try {
      writeFileSync(join(dir, "real.nmap"), "");
      symlinkSync(join(dir, "real.nmap"), join(dir, "link.nmap"));
      expect(await error("-oN", join(dir, "real.nmap"), "-oG", join(dir, "link.nmap"), "127.0.0.1")).toContain("given to both -oN and -oG");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("/dev/null may take any number of outputs; distinct files are fine", async () => {
    expect(await error("-oN", "/dev/null", "-oG", "/dev/null", "-oX", "/dev/null", "127.0.0.1")).toBe("");
    expect(await error("-oA", "scan", "-oJ", "scan.json", "--event-log", "scan.jsonl", "127.0.0.1")).toBe("");
  });
});

describe("one format named for several files", () => {
  test("every file and stdout get the whole text", () => {
    const dir = mkdtempSync(join(tmpdir(), "prtip-outputs-"));
    const opened: FileSink[] = [];
    let screen = "";
    try {
      const sink = sinkForPaths([join(dir, "other.nmap"), join(dir, "base.nmap"), "-"], { write: (t) => void (screen += t) }, opened);
      sink?.write("PORT   STATE\n");
      sink?.write("80/tcp open\n");
      for (const f of opened) f.close();
      expect(opened.map((f) => f.path)).toEqual([join(dir, "other.nmap"), join(dir, "base.nmap")]);
      for (const name of ["other.nmap", "base.nmap"]) expect(readFileSync(join(dir, name), "utf8")).toBe("PORT   STATE\n80/tcp open\n");
      expect(screen).toBe("PORT   STATE\n80/tcp open\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("no path, no sink", () => {
    expect(sinkForPaths([], { write: () => {} }, [])).toBeUndefined();
  });
});

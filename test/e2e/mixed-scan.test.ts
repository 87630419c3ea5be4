import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, ensureBinary, runBinaryAsync } from "./harness.ts";

// -sT -sU through the compiled binary, as nmap's -sS -sU is used: one port
// number answered over both protocols (an SSH banner on TCP, a DNS-shaped reply
// on UDP, as a resolver answers on 53/tcp and 53/udp), one more TCP listener.
// Everything listens on 127.0.0.1 only; nothing needs root.

let both = 0;
let tcpOnly = 0;
const servers: Server[] = [];
const sockets: Socket[] = [];
let dir = "";

function tcpListener(port: number): Promise<Server | null> {
  const server = createServer((s) => s.end("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
  return new Promise((resolve) => {
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/** Answers every datagram as a DNS server would: the query's id, then flags with QR set (what -sV's DNS match reads). */
function dnsLike(): Promise<Socket> {
  const udp = createSocket("udp4");
  udp.on("message", (msg, from) => {
    const reply = Buffer.from(msg);
    if (reply.length >= 4) reply.writeUInt16BE(0x8180, 2);
    udp.send(reply, from.port, from.address);
  });
  return new Promise((resolve) => udp.bind(0, "127.0.0.1", () => resolve(udp)));
}

beforeAll(async () => {
  ensureBinary();
  // The UDP socket picks a free port; the TCP listener takes the same number (tried until one is free over both).
  for (let tries = 0; tries < 20 && both === 0; tries++) {
    const udp = await dnsLike();
    const tcp = await tcpListener(udp.address().port);
    if (tcp) {
      both = udp.address().port;
      sockets.push(udp);
      servers.push(tcp);
    } else udp.close();
  }
  const extra = (await tcpListener(0))!;
  servers.push(extra);
  tcpOnly = (extra.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), "prtip-mixed-"));
}, 120_000);

afterAll(() => {
  for (const s of servers) s.close();
  for (const s of sockets) s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The PORT table's rows: "53/tcp open ssh". */
const rows = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => /^\d+\/(tcp|udp) /.test(l))
    .map((l) => l.split(/\s+/).slice(0, 3).join(" "));

describe("prtip -sT -sU on loopback", () => {
  test("reports the TCP and the UDP open ports in one host report, TCP rows first", async () => {
    expect(both).toBeGreaterThan(0);
    const r = await runBinaryAsync(["-sT", "-sU", "-Pn", "-p", `${both},${tcpOnly}`, "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/scan report for/g)).toHaveLength(1);
    const [low, high] = [both, tcpOnly].sort((a, b) => a - b);
    const udpOfTcpOnly = `${tcpOnly}/udp closed`;
    expect(rows(r.stdout).map((row) => row.split(" ").slice(0, 2).join(" "))).toEqual([
      `${low}/tcp open`,
      `${high}/tcp open`,
      ...[`${both}/udp open`, udpOfTcpOnly].sort((a, b) => parseInt(a) - parseInt(b)),
    ]);
  });

  test("-p U:N,T:M splits ports by protocol", async () => {
    const xml = join(dir, "split.xml");
    const r = await runBinaryAsync(["-sT", "-sU", "-Pn", "-p", `U:${both},T:${tcpOnly}`, "-oX", xml, "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(rows(r.stdout).map((row) => row.split(" ").slice(0, 2).join(" "))).toEqual([`${tcpOnly}/tcp open`, `${both}/udp open`]);
    const text = readFileSync(xml, "utf8");
    expect(text).toContain(`<scaninfo type="connect" protocol="tcp" numservices="1" services="${tcpOnly}"/>`);
    expect(text).toContain(`<scaninfo type="udp" protocol="udp" numservices="1" services="${both}"/>`);
  });

  test("-sV services on N/tcp and N/udp are kept apart", async () => {
    const r = await runBinaryAsync(["-sT", "-sU", "-sV", "-Pn", "-p", String(both), "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${both}/tcp +open +ssh +OpenSSH 9\\.2p1 Debian 2 \\(protocol 2\\.0\\)$`, "m"));
    expect(r.stdout).toMatch(new RegExp(`^${both}/udp +open +dns\\b`, "m"));
  });

  test("-oA, -oJ and --event-log: one XML run valid against nmap.dtd with two scaninfo, one Ports line, both protocols everywhere, one scan in the log", async () => {
    const base = join(dir, "all");
    const log = join(dir, "events.jsonl");
    const r = await runBinaryAsync(["-sT", "-sU", "-Pn", "-p", `${both}`, "-oA", base, "-oJ", `${base}.json`, "--event-log", log, "127.0.0.1"]);
    expect(r.code).toBe(0);
    const xml = readFileSync(`${base}.xml`, "utf8");
    expect(xml.match(/<scaninfo /g)).toHaveLength(2);
    expect(xml).toContain(`<port protocol="tcp" portid="${both}">`);
    expect(xml).toContain(`<port protocol="udp" portid="${both}">`);
    if (existsSync("/usr/share/nmap/nmap.dtd")) {
      const lint = spawnSync("xmllint", ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", `${base}.xml`], { encoding: "utf8" });
      if (!lint.error) expect({ status: lint.status, stderr: lint.stderr }).toEqual({ status: 0, stderr: "" });
    }
    const gnmap = readFileSync(`${base}.gnmap`, "utf8").split("\n").filter((l) => l.includes("Ports:"));
    expect(gnmap).toHaveLength(1);
    expect(gnmap[0]).toContain(`Ports: ${both}/open/tcp//`);
    expect(gnmap[0]).toContain(`, ${both}/open/udp//`);
    const json = readFileSync(`${base}.json`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json.filter((e) => e.event === "PortFound").map((e) => e.protocol).sort()).toEqual(["Tcp", "Udp"]);
    const events = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.filter((e) => e.event === "ScanStarted")).toEqual([expect.objectContaining({ scan_type: "Connect", port_count: 2 })]);
    expect(events.filter((e) => e.event === "ScanCompleted")).toEqual([expect.objectContaining({ ports_scanned: 2, open_ports: 2 })]);
    expect(events.at(-1)).toMatchObject({ event: "log_ended" });
    const percents = events.filter((e) => e.event === "ProgressUpdate").map((e) => e.percentage as number);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
  });

  test("unprivileged, -sS -sU falls back to a connect scan for TCP and still scans UDP", async () => {
    const asNobody = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;
    const prefix = asNobody ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", BINARY] : [BINARY];
    const child = Bun.spawn([...prefix, "-sS", "-sU", "-Pn", "-p", String(both), "127.0.0.1"], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect(code).toBe(0);
    if (asNobody) expect(stderr).toContain("using connect scan (-sT)");
    expect(rows(stdout).map((row) => row.split(" ").slice(0, 2).join(" "))).toEqual([`${both}/tcp open`, `${both}/udp open`]);
  });

  for (const bad of ["U:", "X:80", "U:70000"]) {
    test(`-p ${bad} stops with one line naming the value and exit 2`, async () => {
      const r = await runBinaryAsync(["-sT", "-sU", "-p", bad, "127.0.0.1"]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(JSON.stringify(bad === "U:70000" ? "70000" : bad));
    });
  }
});

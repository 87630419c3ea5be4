import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary, runBinaryAsync } from "./harness.ts";

// -sU -sV through the compiled binary on loopback: a resolver-like socket that
// answers only a well-formed DNS query (so -sU's empty datagram to its port
// gets nothing and the port is open|filtered), and a socket that never answers.
// -sV's DNS probe makes the first open; the second stays open|filtered.

let dnsPort = 0;
let mutePort = 0;
const sockets: Socket[] = [];
let dir = "";

function bound(onMessage: (socket: Socket, msg: Buffer, from: { port: number; address: string }) => void): Promise<Socket> {
  const socket = createSocket("udp4");
  socket.on("message", (msg, from) => onMessage(socket, msg, from));
  sockets.push(socket);
  return new Promise((resolve) => socket.bind(0, "127.0.0.1", () => resolve(socket)));
}

/** A query: a 12-byte header with QR clear and at least one question. The answer echoes it with QR set. */
function answerDns(socket: Socket, msg: Buffer, from: { port: number; address: string }): void {
  if (msg.length < 12 || (msg.readUInt16BE(2) & 0x8000) !== 0 || msg.readUInt16BE(4) === 0) return;
  const reply = Buffer.from(msg);
  reply.writeUInt16BE(0x8180, 2);
  socket.send(reply, from.port, from.address);
}

beforeAll(async () => {
  ensureBinary();
  dnsPort = (await bound(answerDns)).address().port;
  mutePort = (await bound(() => {})).address().port;
  dir = mkdtempSync(join(tmpdir(), "prtip-udpv-"));
}, 120_000);

afterAll(() => {
  for (const s of sockets) s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const json = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("prtip -sU -sV on loopback", () => {
  test("without -sV the DNS-only port is open|filtered: -sU's datagram to an unregistered port is no query", async () => {
    const r = await runBinaryAsync(["-sU", "-Pn", "--no-progress", "-p", String(dnsPort), "127.0.0.1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${dnsPort}/udp +open\\|filtered`, "m"));
  });

  test("an open|filtered port that answers the DNS probe is open with its service in every report, once; a silent one stays open|filtered", async () => {
    const base = join(dir, "scan");
    const log = join(dir, "events.jsonl");
    const ports = `${dnsPort},${mutePort}`;
    // Intensity 1 sends only the DNS probe: the silent port costs one probe timeout, not six.
    const r = await runBinaryAsync(["-sU", "-sV", "--version-intensity", "1", "-Pn", "--no-progress", "-p", ports, "-oA", base, "-oJ", `${base}.json`, "--event-log", log, "127.0.0.1"]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\d+\/udp /.test(l));
    expect(rows.map((l) => l.split(/\s+/).slice(0, 3).join(" ")).sort()).toEqual([`${dnsPort}/udp open dns`, `${mutePort}/udp open|filtered unknown`].sort());

    const gnmap = readFileSync(`${base}.gnmap`, "utf8");
    expect(gnmap.match(new RegExp(`\\b${dnsPort}/`, "g"))).toHaveLength(1); // the Ports entry only: -oG has no banner lines, as nmap's has none
    expect(gnmap).toContain(`${dnsPort}/open/udp//dns///`);
    expect(gnmap).toContain(`${mutePort}/open|filtered/udp//`);

    const xml = readFileSync(`${base}.xml`, "utf8");
    expect(xml.match(new RegExp(`portid="${dnsPort}"`, "g"))).toHaveLength(1);
    expect(xml).toContain(`<port protocol="udp" portid="${dnsPort}"><state state="open" reason="udp-response" reason_ttl="0"/><service name="dns" method="probed"`);
    expect(xml).toContain(`<port protocol="udp" portid="${mutePort}"><state state="open|filtered" reason="no-response"`);

    const found = (events: Record<string, unknown>[], port: number) => events.filter((e) => e.event === "PortFound" && e.port === port).map((e) => e.state);
    const oj = json(`${base}.json`);
    // -oJ is a stream, like the event log: the port's second line says it is open.
    expect(found(oj, dnsPort)).toEqual(["OpenFiltered", "Open"]);
    expect(found(oj, mutePort)).toEqual(["OpenFiltered"]);
    expect(oj.at(-1)).toMatchObject({ event: "ScanCompleted" });

    // The event log keeps the history: open|filtered, then open, then the service.
    const events = json(log);
    expect(found(events, dnsPort)).toEqual(["OpenFiltered", "Open"]);
    expect(found(events, mutePort)).toEqual(["OpenFiltered"]);
    expect(events.filter((e) => e.event === "ServiceDetected")).toEqual([expect.objectContaining({ port: dnsPort, service: "DNS" })]);
    expect(events.filter((e) => e.event === "ScanCompleted")).toEqual([
      expect.objectContaining({ ports_scanned: 2, open_ports: 1, filtered_ports: 1, closed_ports: 0, services_detected: 1 }),
    ]);
    const percents = events.filter((e) => e.event === "ProgressUpdate").map((e) => e.percentage as number);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    expect(Math.max(...percents)).toBe(100);

    const summary = await runBinaryAsync(["log", "summary", log]);
    expect(summary.stdout).toMatch(/open ports +1\n/);
    expect(summary.stdout).toContain(`127.0.0.1  ${dnsPort}/udp\n`);
  }, 60_000);
});

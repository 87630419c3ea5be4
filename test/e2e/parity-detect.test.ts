import { afterAll, beforeAll, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createServer as createHttp, type Server as HttpServer } from "node:http";
import { createServer as createHttps } from "node:https";
import { createServer as createTcp, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalise, runBinaryAsync, runDenoAsync, withoutProgress } from "./harness.ts";

// -sU, -sV and --event-log against servers in this process on loopback only,
// through the Bun binary and the Deno entry. Async runners: the servers share our event loop.

let http: HttpServer;
let https: HttpServer;
let ssh: Server;
let udp4: Socket;
let udp6: Socket;
const ports = { http: 0, https: 0, ssh: 0, udp: 0 };
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "prtip-parity-"));
  http = createHttp((_req, res) => {
    res.setHeader("Server", "prtip-test/1.0");
    res.setHeader("Date", "Thu, 01 Jan 1970 00:00:00 GMT");
    res.end("ok");
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  ports.http = (http.address() as { port: number }).port;
  // A throwaway self-signed certificate: -sV reads it through node:tls on both runtimes.
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  // A comma, a control character and an IPv6 SAN: the runtimes' own X509Certificate texts differ on each.
  const made = spawnSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
    "-subj", "/O=Parity\\, Inc./OU=bold\x1b[1m/CN=parity.test", "-addext", "subjectAltName=DNS:parity.test,IP:::1",
  ]);
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  https = createHttps({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
    res.setHeader("Server", "prtip-tls/2.0");
    res.setHeader("Date", "Thu, 01 Jan 1970 00:00:00 GMT");
    res.end("ok");
  });
  await new Promise<void>((r) => https.listen(0, "127.0.0.1", r));
  ports.https = (https.address() as { port: number }).port;
  ssh = createTcp((s) => s.end("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
  await new Promise<void>((r) => ssh.listen(0, "127.0.0.1", r));
  ports.ssh = (ssh.address() as { port: number }).port;
  udp4 = createSocket("udp4");
  udp4.on("message", (msg, from) => udp4.send(msg, from.port, from.address));
  await new Promise<void>((r) => udp4.bind(0, "127.0.0.1", r));
  ports.udp = udp4.address().port;
  // The same port on ::1 answers too, so both families have an open and a closed port.
  udp6 = createSocket({ type: "udp6", ipv6Only: true });
  udp6.on("message", (msg, from) => udp6.send(msg, from.port, from.address));
  await new Promise<void>((r) => udp6.bind(ports.udp, "::1", r));
});

afterAll(() => {
  http.close();
  https.close();
  ssh.close();
  udp4.close();
  udp6.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Event lines as a sorted set: answers race, so order, seq and measured round trips differ by nature. */
const eventSet = (text: string) =>
  normalise(text)
    .replace(/"seq":\d+/g, '"seq":<n>')
    .replace(/"metric":"rtt_ms","value":[\d.]+/g, '"metric":"rtt_ms","value":<n>')
    .split("\n")
    .filter((l) => l !== "")
    .sort();

/** The lines (with multiplicity) only one side has: what a failing comparison reports. */
function setDifference(bun: string[], deno: string[]): { onlyBun: string[]; onlyDeno: string[] } {
  const left = new Map<string, number>();
  for (const l of deno) left.set(l, (left.get(l) ?? 0) + 1);
  const onlyBun: string[] = [];
  for (const l of bun) {
    const n = left.get(l) ?? 0;
    if (n > 0) left.set(l, n - 1);
    else onlyBun.push(l);
  }
  const onlyDeno = [...left].flatMap(([l, n]) => Array<string>(n).fill(l));
  return { onlyBun, onlyDeno };
}

test("-sU over IPv4 and IPv6 is identical on Bun and Deno (open and refused ports)", async () => {
  const args = ["-sU", "-Pn", "-v", "-p", `${ports.udp},9`, "-oJ", "-", "127.0.0.1", "::1"];
  const [bun, deno] = await Promise.all([runBinaryAsync(args), runDenoAsync(args)]);
  expect(bun.code).toBe(0);
  const states = eventSet(bun.stdout).filter((l) => l.includes("PortFound")).map((l) => /"port":(\d+).*"state":"(\w+)"/.exec(l)!.slice(1).join(" "));
  expect(states.sort()).toEqual([`${ports.udp} Open`, `${ports.udp} Open`, "9 Closed", "9 Closed"].sort());
  expect(eventSet(deno.stdout)).toEqual(eventSet(bun.stdout));
  expect(normalise(deno.stderr)).toBe(normalise(bun.stderr));
  expect(deno.code).toBe(bun.code);
});

test("-sV names the same services, versions and certificate on Bun and Deno", async () => {
  // -v: the ssl-cert block shows only then; its "Discovered open port" lines come in arrival order, so they are left out of the comparison.
  const args = ["-sT", "-sV", "-v", "-Pn", "-p", `${ports.http},${ports.https},${ports.ssh}`, "-oN", "-", "127.0.0.1"];
  const report = (text: string) => normalise(text.replace(/^Discovered open port .*\n/gm, ""));
  const [bun, deno] = await Promise.all([runBinaryAsync(args), runDenoAsync(args)]);
  expect(bun.code).toBe(0);
  expect(bun.stdout).toContain("OpenSSH 9.2p1 Debian 2 (protocol 2.0)");
  expect(bun.stdout).toContain("prtip-test 1.0");
  expect(bun.stdout).toContain("parity.test");
  expect(bun.stdout).toContain("Subject: O=Parity, Inc., OU=bold\\x1b[1m, CN=parity.test\n");
  expect(bun.stdout).toContain("Subject Alternative Name: parity.test, ::1\n");
  expect(report(deno.stdout)).toBe(report(bun.stdout));
  expect(normalise(deno.stderr)).toBe(normalise(bun.stderr));
  expect(deno.code).toBe(bun.code);
});

test("--event-log files written by Bun and Deno match once times, ids and order are masked", async () => {
  const log = (who: string) => join(dir, `${who}.jsonl`);
  const args = (who: string) => ["-sT", "-sV", "-Pn", "-p", `${ports.http},${ports.https},${ports.ssh},1`, "--event-log", log(who), "127.0.0.1"];
  const [bun, deno] = await Promise.all([runBinaryAsync(args("bun")), runDenoAsync(args("deno"))]);
  expect([bun.code, deno.code]).toEqual([0, 0]);
  const bunLog = readFileSync(log("bun"), "utf8");
  const denoLog = readFileSync(log("deno"), "utf8");
  expect(bunLog.split("\n")[0]).toContain('"log_started"');
  expect(bunLog).toContain('"CertificateFound"');
  // Framing lines first and last in both; the rest compared as a set. ProgressUpdate lines (and
  // log_ended's count of them) follow the run's length, so a loaded machine changes them: left
  // out by withoutProgress, and the final 100% one checked on its own.
  const bunLines = withoutProgress(bunLog);
  const denoLines = withoutProgress(denoLog);
  const frame = (lines: string[]) => [normalise(lines[0]!), normalise(lines.at(-1)!)];
  expect(frame(denoLines)).toEqual(frame(bunLines));
  // Compared as the lines only one side has, so a failure names them rather than two long lists.
  expect(setDifference(eventSet(bunLines.join("\n")), eventSet(denoLines.join("\n")))).toEqual({ onlyBun: [], onlyDeno: [] });
  for (const text of [bunLog, denoLog]) expect(text).toMatch(/"event":"ProgressUpdate","scan_id":"[^"]+","stage":5,"percentage":100,/);
});

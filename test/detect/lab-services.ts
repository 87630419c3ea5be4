// Real services from Debian packages on 127.0.0.1, high ports, configuration in
// a temp dir; started by a test's beforeAll and stopped by its afterAll.
// Nothing here depends on the packages' own system services.

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { firstMatch, installedVersions, makeCertificate, selfReport, stopProcess, writeNginxConfig, writeSshdConfig } from "./service-kit.ts";

export const HOST = "127.0.0.1";

export interface Lab {
  dir: string;
  ssh: number;
  http: number;
  https: number;
  redis: number;
  dns: number;
  /** What the packages say about themselves, for comparing with detection. */
  versions: { ssh: string; nginx: string; redis: string; dnsmasq: string };
  cert: { subject: string; issuer: string; sha256: string; san: string[] };
  stop(): Promise<void>;
}

/** A port nobody listens on right now (bound, read, released). */
export async function freePort(kind: "tcp" | "udp" = "tcp"): Promise<number> {
  if (kind === "udp") {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

async function waitForTcp(port: number, name: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}: ${output()}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, HOST);
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on ${port}: ${output()}`);
}

async function waitForDns(port: number, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  // A query for "." type A: any answer, even REFUSED, means dnsmasq is up.
  const query = Buffer.from("0001010000010000000000000000010001", "hex");
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`dnsmasq exited with ${proc.exitCode}: ${output()}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket("udp4");
      const timer = setTimeout(() => (s.close(), resolve(false)), 200);
      s.on("message", () => (clearTimeout(timer), s.close(), resolve(true)));
      s.on("error", () => (clearTimeout(timer), s.close(), resolve(false)));
      s.send(query, port, HOST);
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dnsmasq did not answer on ${port}: ${output()}`);
}

function start(file: string, args: string[]): { proc: ChildProcess; output: () => string } {
  const proc = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  proc.stdout?.on("data", (d: Buffer) => (text += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (text += d.toString()));
  return { proc, output: () => text.slice(-2000) };
}

/** dnsmasq alone, answering DNS (and version.bind) on a free UDP port of 127.0.0.1. */
export async function startDnsmasq(): Promise<{ port: number; version: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "prtip-dns-"));
  const port = await freePort("udp");
  const dnsmasq = start("/usr/sbin/dnsmasq", [
    "--no-daemon", `--port=${port}`, `--listen-address=${HOST}`, "--bind-interfaces", "--no-resolv", "--no-hosts",
    "--conf-file=/dev/null", `--pid-file=${join(dir, "dnsmasq.pid")}`,
  ]);
  const stop = async () => {
    await stopProcess(dnsmasq.proc);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForDns(port, dnsmasq.proc, dnsmasq.output);
  } catch (err) {
    await stop();
    throw err;
  }
  const version = firstMatch(selfReport("/usr/sbin/dnsmasq", ["--version"]), /version ([\d.]+)/, "dnsmasq version");
  return { port, version, stop };
}

/** Starts sshd, nginx (HTTP and HTTPS), redis-server and dnsmasq; all or nothing. */
export async function startLab(): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), "prtip-detect-"));
  const procs: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(procs.map(stopProcess));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [ssh, http, https, redis, dns] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort("udp")];
    const cert = makeCertificate(dir, "lab.prtip.test", ["lab.prtip.test", "www.lab.prtip.test"], HOST);

    const sshdConfig = writeSshdConfig(dir, HOST);
    const nginxConfig = writeNginxConfig(dir, HOST, http, https, cert);

    const services = [
      { name: "sshd", port: ssh, ...start("/usr/sbin/sshd", ["-D", "-e", "-f", sshdConfig, "-p", String(ssh)]) },
      { name: "nginx", port: http, ...start("/usr/sbin/nginx", ["-e", join(dir, "nginx-error.log"), "-p", dir, "-c", nginxConfig, "-g", "daemon off;"]) },
      { name: "redis-server", port: redis, ...start("/usr/bin/redis-server", ["--port", String(redis), "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"]) },
    ];
    const dnsmasq = start("/usr/sbin/dnsmasq", [
      "--no-daemon", `--port=${dns}`, `--listen-address=${HOST}`, "--bind-interfaces", "--no-resolv", "--no-hosts",
      "--conf-file=/dev/null", `--pid-file=${join(dir, "dnsmasq.pid")}`,
    ]);
    procs.push(...services.map((s) => s.proc), dnsmasq.proc);
    await Promise.all([
      ...services.map((s) => waitForTcp(s.port, s.name, s.proc, s.output)),
      waitForTcp(https, "nginx (https)", services[1]!.proc, services[1]!.output),
      waitForDns(dns, dnsmasq.proc, dnsmasq.output),
    ]);

    return {
      dir, ssh, http, https, redis, dns,
      versions: installedVersions(),
      cert: { subject: cert.subject, issuer: cert.issuer, sha256: cert.sha256, san: cert.san },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// Real services from Debian packages inside a lab's target namespace, bound to
// one lab host: OpenSSH, nginx (HTTP and HTTPS with a self-signed certificate
// made now), redis-server and dnsmasq (UDP DNS), plus a closed and a firewalled
// UDP port. Configuration lives in a temp dir; stop() kills every service.
//   const services = await startServices(lab.truth); ... await services.stop();
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installedVersions, makeCertificate, stopProcess, writeNginxConfig, writeSshdConfig } from "../detect/service-kit.ts";
import type { Truth } from "./lab.ts";

export const SERVICE_HOST = "198.18.0.10";
/** Ports no lab listener uses, so the services own them. */
export const SERVICE_PORTS = { ssh: 2222, http: 8000, https: 8443, redis: 6379, dns: 53, udpClosed: 40000, udpFiltered: 40001 } as const;

export interface LabServices {
  host: string;
  ports: typeof SERVICE_PORTS;
  /** What the packages say about themselves. */
  versions: { ssh: string; nginx: string; redis: string; dnsmasq: string };
  cert: { subject: string; issuer: string; sha256: string; san: string[] };
  stop(): Promise<void>;
}

/** Listening sockets of the target namespace, as "tcp:PORT" / "udp:PORT". */
function listening(truth: Truth): Set<string> {
  const r = spawnSync("ip", ["netns", "exec", truth.targetNs, "ss", "-Hnltu"], { encoding: "utf8" });
  const out = new Set<string>();
  for (const line of (r.stdout ?? "").split("\n")) {
    const f = line.trim().split(/\s+/);
    const port = /:(\d+)$/.exec(f[4] ?? "")?.[1];
    if (port) out.add(`${f[0]}:${port}`);
  }
  return out;
}

export async function startServices(truth: Truth): Promise<LabServices> {
  const dir = mkdtempSync(join(tmpdir(), "prtip-lab-services-"));
  const procs: { name: string; proc: ChildProcess; output: () => string }[] = [];
  const iptables = (op: "-A" | "-D") =>
    spawnSync("ip", ["netns", "exec", truth.targetNs, "iptables", "-w", op, "INPUT", "-d", SERVICE_HOST, "-p", "udp", "--dport", String(SERVICE_PORTS.udpFiltered), "-j", "DROP"]);
  const stop = async () => {
    await Promise.all(procs.map((p) => stopProcess(p.proc)));
    iptables("-D");
    rmSync(dir, { recursive: true, force: true });
  };
  const start = (name: string, file: string, args: string[]) => {
    const proc = spawn("ip", ["netns", "exec", truth.targetNs, file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    proc.stdout?.on("data", (d: Buffer) => (text += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (text += d.toString()));
    procs.push({ name, proc, output: () => text.slice(-2000) });
  };
  try {
    const P = SERVICE_PORTS;
    const cert = makeCertificate(dir, "services.lab.prtip.test", ["services.lab.prtip.test"], SERVICE_HOST);
    const sshdConfig = writeSshdConfig(dir, SERVICE_HOST);
    const nginxConfig = writeNginxConfig(dir, SERVICE_HOST, P.http, P.https, cert);
    start("sshd", "/usr/sbin/sshd", ["-D", "-e", "-f", sshdConfig, "-p", String(P.ssh)]);
    start("nginx", "/usr/sbin/nginx", ["-e", join(dir, "nginx-error.log"), "-p", dir, "-c", nginxConfig, "-g", "daemon off;"]);
    start("redis-server", "/usr/bin/redis-server", ["--port", String(P.redis), "--bind", SERVICE_HOST, "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--protected-mode", "no"]);
    start("dnsmasq", "/usr/sbin/dnsmasq", [
      "--no-daemon", `--port=${P.dns}`, `--listen-address=${SERVICE_HOST}`, "--bind-interfaces", "--no-resolv", "--no-hosts",
      "--conf-file=/dev/null", `--pid-file=${join(dir, "dnsmasq.pid")}`, "--user=root",
    ]);
    if (iptables("-A").status !== 0) throw new Error("cannot add the firewalled UDP port's DROP rule");

    const want = [`tcp:${P.ssh}`, `tcp:${P.http}`, `tcp:${P.https}`, `tcp:${P.redis}`, `udp:${P.dns}`];
    const deadline = Date.now() + 10_000;
    for (;;) {
      const dead = procs.find((p) => p.proc.exitCode !== null);
      if (dead) throw new Error(`${dead.name} exited with ${dead.proc.exitCode}: ${dead.output()}`);
      const now = listening(truth);
      if (want.every((w) => now.has(w))) break;
      if (Date.now() > deadline) throw new Error(`services did not listen: want ${want.join(" ")}, have ${[...now].join(" ")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      host: SERVICE_HOST,
      ports: P,
      versions: installedVersions(),
      cert: { subject: cert.subject, issuer: cert.issuer, sha256: cert.sha256, san: cert.san },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

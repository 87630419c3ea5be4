// Real services from Debian packages inside a lab's target namespace, bound to
// one lab host: OpenSSH, nginx (HTTP and HTTPS with a self-signed certificate
// made now), redis-server and dnsmasq (UDP DNS), plus a closed and a firewalled
// UDP port. Configuration lives in a temp dir; stop() kills every service.
//   const services = await startServices(lab.truth); ... await services.stop();
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

const run = (file: string, args: string[]) => execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function selfReport(file: string, args: string[]): string {
  const r = spawnSync(file, args, { encoding: "utf8" });
  return `${r.stdout ?? ""}${r.stderr ?? ""}`;
}

function firstMatch(text: string, pattern: RegExp, what: string): string {
  const m = pattern.exec(text);
  if (m?.[1] === undefined) throw new Error(`cannot read ${what} from ${JSON.stringify(text)}`);
  return m[1];
}

function makeCertificate(dir: string) {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  run("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", keyFile, "-out", certFile, "-days", "30",
    "-subj", "/O=Prtip Lab/CN=services.lab.prtip.test",
    "-addext", `subjectAltName=DNS:services.lab.prtip.test,IP:${SERVICE_HOST}`,
  ]);
  const names = run("openssl", ["x509", "-in", certFile, "-noout", "-subject", "-issuer", "-nameopt", "sep_comma_plus_space,sname"]);
  const fingerprint = run("openssl", ["x509", "-in", certFile, "-noout", "-fingerprint", "-sha256"]);
  return {
    certFile,
    keyFile,
    subject: firstMatch(names, /^subject=(.+)$/m, "subject"),
    issuer: firstMatch(names, /^issuer=(.+)$/m, "issuer"),
    sha256: firstMatch(fingerprint, /Fingerprint=([0-9A-F:]+)/, "fingerprint").replaceAll(":", "").toLowerCase(),
    san: ["services.lab.prtip.test", SERVICE_HOST],
  };
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
    proc.once("exit", () => (clearTimeout(timer), resolve()));
    proc.kill("SIGTERM");
  });
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
    const cert = makeCertificate(dir);
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
    run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "ssh_host_ed25519_key")]);
    writeFileSync(join(dir, "sshd_config"), [
      `ListenAddress ${SERVICE_HOST}`, `HostKey ${join(dir, "ssh_host_ed25519_key")}`, `PidFile ${join(dir, "sshd.pid")}`,
      "UsePAM no", "PasswordAuthentication no", "",
    ].join("\n"));
    writeFileSync(join(dir, "nginx.conf"), `
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "nginx-error.log")};
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  server_tokens on;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server { listen ${SERVICE_HOST}:${P.http}; location / { return 200 "prtip lab\\n"; } }
  server {
    listen ${SERVICE_HOST}:${P.https} ssl;
    ssl_certificate ${cert.certFile};
    ssl_certificate_key ${cert.keyFile};
    location / { return 200 "prtip lab tls\\n"; }
  }
}
`);
    start("sshd", "/usr/sbin/sshd", ["-D", "-e", "-f", join(dir, "sshd_config"), "-p", String(P.ssh)]);
    start("nginx", "/usr/sbin/nginx", ["-e", join(dir, "nginx-error.log"), "-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"]);
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
      versions: {
        ssh: firstMatch(selfReport("/usr/sbin/sshd", ["-V"]), /(OpenSSH_[\w.]+)/, "sshd version"),
        nginx: firstMatch(selfReport("/usr/sbin/nginx", ["-v"]), /(nginx\/[\d.]+)/, "nginx version"),
        redis: firstMatch(selfReport("/usr/bin/redis-server", ["--version"]), /v=([\d.]+)/, "redis version"),
        dnsmasq: firstMatch(selfReport("/usr/sbin/dnsmasq", ["--version"]), /version ([\d.]+)/, "dnsmasq version"),
      },
      cert: { subject: cert.subject, issuer: cert.issuer, sha256: cert.sha256, san: cert.san },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// Shared by the loopback services (test/detect/lab-services.ts) and the lab's
// namespaced ones (test/lab/services.ts): certificates, configs, process stops.
import { type ChildProcess, execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function run(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `ssh -V`-style tools print to stderr; take both. */
export function selfReport(file: string, args: string[]): string {
  const result = spawnSync(file, args, { encoding: "utf8" });
  return `${result.stdout ?? ""}${result.stderr ?? ""}`;
}

export function firstMatch(text: string, pattern: RegExp, what: string): string {
  const m = pattern.exec(text);
  if (m?.[1] === undefined) throw new Error(`cannot read ${what} from ${JSON.stringify(text)}`);
  return m[1];
}

/** Versions of the installed servers, as their own binaries report them: what -sV must find. */
export function installedVersions() {
  return {
    ssh: firstMatch(selfReport("/usr/sbin/sshd", ["-V"]), /(OpenSSH_[\w.]+)/, "sshd version"),
    nginx: firstMatch(selfReport("/usr/sbin/nginx", ["-v"]), /(nginx\/[\d.]+)/, "nginx version"),
    redis: firstMatch(selfReport("/usr/bin/redis-server", ["--version"]), /v=([\d.]+)/, "redis version"),
    dnsmasq: firstMatch(selfReport("/usr/sbin/dnsmasq", ["--version"]), /version ([\d.]+)/, "dnsmasq version"),
  };
}

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  subject: string;
  issuer: string;
  sha256: string;
  san: string[];
}

/** A self-signed EC certificate for `cn`; what it says is read back with openssl, not assumed. */
export function makeCertificate(dir: string, cn: string, dnsNames: string[], ip: string): TestCertificate {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  run("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", keyFile, "-out", certFile, "-days", "30",
    "-subj", `/O=Prtip Lab/CN=${cn}`,
    "-addext", `subjectAltName=${[...dnsNames.map((d) => `DNS:${d}`), `IP:${ip}`].join(",")}`,
  ]);
  const names = run("openssl", ["x509", "-in", certFile, "-noout", "-subject", "-issuer", "-nameopt", "sep_comma_plus_space,sname"]);
  const fingerprint = run("openssl", ["x509", "-in", certFile, "-noout", "-fingerprint", "-sha256"]);
  return {
    certFile,
    keyFile,
    subject: firstMatch(names, /^subject=(.+)$/m, "subject"),
    issuer: firstMatch(names, /^issuer=(.+)$/m, "issuer"),
    sha256: firstMatch(fingerprint, /Fingerprint=([0-9A-F:]+)/, "fingerprint").replaceAll(":", "").toLowerCase(),
    san: [...dnsNames, ip],
  };
}

/** sshd_config and a host key in `dir`, listening on `host`. */
export function writeSshdConfig(dir: string, host: string): string {
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "ssh_host_ed25519_key")]);
  const path = join(dir, "sshd_config");
  writeFileSync(path, [
    `ListenAddress ${host}`, `HostKey ${join(dir, "ssh_host_ed25519_key")}`, `PidFile ${join(dir, "sshd.pid")}`,
    "UsePAM no", "PasswordAuthentication no", "",
  ].join("\n"));
  return path;
}

/** nginx.conf in `dir`: plain HTTP on `http`, TLS with `cert` on `https`, Server header with version. */
export function writeNginxConfig(dir: string, host: string, http: number, https: number, cert: TestCertificate): string {
  const path = join(dir, "nginx.conf");
  writeFileSync(path, `
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "nginx-error.log")};
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  server_tokens on;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server { listen ${host}:${http}; location / { return 200 "prtip lab\\n"; } }
  server {
    listen ${host}:${https} ssl;
    ssl_certificate ${cert.certFile};
    ssl_certificate_key ${cert.keyFile};
    location / { return 200 "prtip lab tls\\n"; }
  }
}
`);
  return path;
}

export function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
    proc.once("exit", () => (clearTimeout(timer), resolve()));
    proc.kill("SIGTERM");
  });
}

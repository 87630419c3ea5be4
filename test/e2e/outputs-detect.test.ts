import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type Server as HttpServer, createServer as createHttpServer } from "node:http";
import { type Server as HttpsServer, createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Run, runBinaryAsync } from "./harness.ts";

// -sT -sV through the compiled binary against an HTTP and an HTTPS server on
// 127.0.0.1: every detection (version, banner, certificate) must reach -oN,
// -oG, -oX and -oJ, and the screen table.

const HTTP_SERVER = "prtip-e2e-http/1.4";
const HTTPS_SERVER = "prtip-e2e-https/2.7";

let dir = "";
let http: HttpServer;
let https: HttpsServer;
let httpPort = 0;
let httpsPort = 0;
/** What openssl says about the certificate the HTTPS server presents. */
let certSubject = "";
let certSha256 = "";
let run: Run;
const file = (ext: string) => readFileSync(join(dir, `scan.${ext}`), "utf8");

function openssl(args: string[]): string {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "prtip-outputs-"));
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  openssl([
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30",
    "-keyout", key, "-out", cert, "-subj", "/O=prtip e2e/CN=prtip-e2e.test",
    "-addext", "subjectAltName=DNS:prtip-e2e.test,IP:127.0.0.1",
  ]);
  // "subject=/O=prtip e2e/CN=prtip-e2e.test" in the order the certificate holds it.
  certSubject = openssl(["x509", "-in", cert, "-noout", "-subject", "-nameopt", "compat"]).replace(/^subject=\//, "").split("/").join(", ");
  certSha256 = openssl(["x509", "-in", cert, "-noout", "-fingerprint", "-sha256"]).replace(/^.*=/, "").replaceAll(":", "").toLowerCase();

  http = createHttpServer((_req, res) => {
    res.setHeader("Server", HTTP_SERVER);
    res.end("ok");
  });
  https = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
    res.setHeader("Server", HTTPS_SERVER);
    res.end("ok");
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  await new Promise<void>((r) => https.listen(0, "127.0.0.1", r));
  httpPort = (http.address() as { port: number }).port;
  httpsPort = (https.address() as { port: number }).port;

  const out = (ext: string) => join(dir, `scan.${ext}`);
  run = await runBinaryAsync([
    "-sT", "-sV", "-Pn", "-p", `${httpPort},${httpsPort}`,
    "-oN", out("nmap"), "-oG", out("gnmap"), "-oX", out("xml"), "-oJ", out("json"), "127.0.0.1",
  ]);
}, 60_000);

afterAll(() => {
  http?.close();
  https?.close();
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("-sT -sV results in every output format", () => {
  test("the scan succeeds and the certificate facts come from openssl", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(certSubject).toBe("O=prtip e2e, CN=prtip-e2e.test");
    expect(certSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test("-oJ streams ServiceDetected, BannerGrabbed and CertificateFound lines", () => {
    const events = file("json").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const of = (name: string, port: number) => events.find((e) => e.event === name && e.port === port);
    expect(of("ServiceDetected", httpPort)).toMatchObject({ service: "HTTP", version: HTTP_SERVER });
    expect(of("ServiceDetected", httpsPort)).toMatchObject({ service: "HTTPS", version: HTTPS_SERVER });
    expect(String(of("BannerGrabbed", httpPort)?.banner)).toContain(`Server: ${HTTP_SERVER}`);
    expect(of("CertificateFound", httpsPort)).toMatchObject({ subject: certSubject, sha256: certSha256, san: ["prtip-e2e.test", "127.0.0.1"], self_signed: true });
  });

  test("-oN and the screen show versions and ssl/http for HTTP in TLS; banner and ssl-cert blocks only with -v", () => {
    const normal = file("nmap");
    for (const text of [normal, run.stdout]) {
      expect(text).toMatch(new RegExp(`\\n${httpPort}/tcp +open +http +prtip-e2e-http 1\\.4\\n`));
      expect(text).toMatch(new RegExp(`\\n${httpsPort}/tcp +open +ssl/http +prtip-e2e-https 2\\.7\\n`));
      expect(text).not.toContain("|_banner:");
      expect(text).not.toContain("ssl-cert:");
    }
  });

  test("-oG carries versions in the Ports field and nmap's two records per host, no banner or certificate lines", () => {
    const grepable = file("gnmap");
    expect(grepable).toContain(`${httpPort}/open/tcp//http//prtip-e2e-http 1.4/`);
    expect(grepable).toContain(`${httpsPort}/open/tcp//ssl|http//prtip-e2e-https 2.7/`);
    expect(grepable.split("\n").filter((l) => l.startsWith("Host: "))).toHaveLength(2);
  });

  test("-oX validates against nmap.dtd and holds products, versions and both scripts", () => {
    const xml = file("xml");
    const lint = spawnSync("xmllint", ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", join(dir, "scan.xml")], { encoding: "utf8" });
    expect(lint.stderr).toBe("");
    expect(lint.status).toBe(0);
    expect(xml).toContain(`<service name="http" product="prtip-e2e-http" version="1.4" method="probed"`);
    expect(xml).toContain(`<service name="http" product="prtip-e2e-https" version="2.7" tunnel="ssl" method="probed"`);
    expect(xml).toMatch(new RegExp(`portid="${httpPort}">.*<script id="banner" output="HTTP/1\\.1 200 OK\\\\x0D\\\\x0A[^"]*Server: prtip-e2e-http/1\\.4`));
    expect(xml).toContain(`<script id="ssl-cert" output="Subject: ${certSubject}&#10;`);
    expect(xml).toContain(`<elem key="sha256">${certSha256}</elem>`);
  });
});

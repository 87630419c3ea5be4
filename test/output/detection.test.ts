import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import { attachOutputs, serviceParts, versionFields, versionText } from "../../src/output/index.ts";
import { CERT_SHA256, DETECT_META, T0, capture, replayDetection } from "./fixtures.ts";

// -sV and -O results (ServiceDetected, BannerGrabbed, CertificateFound,
// OSDetected) in every output format.

function render(kind: "screen" | "normal" | "grepable" | "xml" | "json", verbosity = 0) {
  const bus = new EventBus();
  const out = capture();
  attachOutputs(bus, { [kind]: out.sink }, { ...DETECT_META, verbosity });
  replayDetection(bus);
  return out.text();
}

const CERT_LINES = [
  "Subject: C=DE, O=Lab <test>, CN=lab.example",
  "Subject Alternative Name: lab.example, 127.0.0.1",
  "Issuer: C=DE, O=Lab <test>, CN=lab.example",
  "Not valid before: 2026-01-01T00:00:00",
  "Not valid after:  2027-01-01T00:00:00",
  `SHA-256: ${CERT_SHA256}`,
  "Self-signed: yes",
];
const CERT_BLOCK = CERT_LINES.map((line, i) => (i === 0 ? `| ssl-cert: ${line}` : i === CERT_LINES.length - 1 ? `|_${line}` : `| ${line}`));

describe("normal output with -sV -O", () => {
  test("versions as nmap words them, Service Info, no banner or ssl-cert blocks without -v", () => {
    expect(render("screen")).toBe(
      [
        "Starting prtip 0.1.0 at 2026-11-29 19:29 UTC",
        "prtip scan report for 198.18.0.1",
        "Host is up (0.0003s latency).",
        "",
        "PORT    STATE SERVICE  VERSION",
        "22/tcp  open  ssh      OpenSSH 9.2p1 Debian 2 (protocol 2.0)",
        "80/tcp  open  http     Apache httpd 2.4.52 ((Ubuntu))",
        "443/tcp open  ssl/http nginx 1.22.1",
        "OS details: Linux (confidence 85%)",
        "Service Info: OS: Linux",
        "",
        "prtip scan report for 198.18.0.2",
        "Host is up (0.0005s latency).",
        "",
        "PORT    STATE  SERVICE",
        "22/tcp  closed ssh",
        "80/tcp  open   http",
        "443/tcp closed https",
        "No exact OS matches for host (OS: Unknown).",
        "",
        "prtip done: 2 IP addresses (2 hosts up) scanned in 1.17 seconds",
        "",
      ].join("\n"),
    );
  });

  test("-v adds banner blocks with control bytes as nmap escapes them, and ssl-cert blocks", () => {
    const text = render("screen", 1);
    expect(text).toContain(
      [
        "22/tcp  open  ssh      OpenSSH 9.2p1 Debian 2 (protocol 2.0)",
        "|_banner: SSH-2.0-OpenSSH_9.2p1 Debian-2",
        "80/tcp  open  http     Apache httpd 2.4.52 ((Ubuntu))",
        "|_banner: HTTP/1.1 200 OK\\x0D\\x0AServer: Apache/2.4.52 (Ubuntu)",
        "443/tcp open  ssl/http nginx 1.22.1",
        ...CERT_BLOCK,
        "OS details: Linux (confidence 85%)",
      ].join("\n"),
    );
  });

  test("-oN carries the same blocks as the screen", () => {
    const screen = render("screen").split("\n").slice(1, -2);
    const file = render("normal").split("\n").slice(1, -2);
    expect(file).toEqual(screen);
  });

  test("an OS version is part of the name; a host with only an OS guess still gets it", () => {
    const bus = new EventBus();
    const out = capture();
    attachOutputs(bus, { screen: out.sink, grepable: out.sink }, DETECT_META);
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
    bus.publish(f.make("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 3 }));
    bus.publish(f.make("OSDetected", { target: "198.18.0.9", os: "Windows", os_version: "10", confidence: 70 }));
    bus.publish(f.make("ScanCancelled", { reason: "interrupted by SIGINT", partial_results: true }));
    expect(out.text()).toContain("prtip scan report for 198.18.0.9\nHost is up.\nOS details: Windows 10 (confidence 70%)\n");
    expect(out.text()).toContain("Host: 198.18.0.9 ()\tStatus: Up\nHost: 198.18.0.9 ()\tOS: Windows 10\n");
  });
});

describe("grepable output with -sV -O", () => {
  test("versions in the Ports field, OS as a field, two records per host as nmap's (no banner or certificate lines)", () => {
    const lines = render("grepable").split("\n");
    expect(lines.slice(1, -2)).toEqual([
      "Host: 198.18.0.1 ()\tStatus: Up",
      "Host: 198.18.0.1 ()\tPorts: 22/open/tcp//ssh//OpenSSH 9.2p1 Debian 2 (protocol 2.0)/, 80/open/tcp//http//Apache httpd 2.4.52 ((Ubuntu))/, 443/open/tcp//ssl|http//nginx 1.22.1/\tOS: Linux",
      "Host: 198.18.0.2 ()\tStatus: Up",
      "Host: 198.18.0.2 ()\tPorts: 22/closed/tcp//ssh///, 80/open/tcp//http///, 443/closed/tcp//https///",
    ]);
  });

  test("slashes and commas in a version cannot break the port entry", () => {
    const bus = new EventBus();
    const out = capture();
    attachOutputs(bus, { grepable: out.sink }, DETECT_META);
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
    bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 1 }));
    bus.publish(f.portFound({ target: "198.18.0.1", port: 25, protocol: "Tcp", state: "Open", reason: "connect" }));
    bus.publish(f.make("ServiceDetected", { target: "198.18.0.1", port: 25, service: "SMTP", version: "Sendmail 8.15.2/8.15.2, x", confidence: 95 }));
    bus.publish(f.make("ScanCancelled", { reason: "stop", partial_results: true }));
    expect(out.text()).toContain("Ports: 25/open/tcp//smtp//Sendmail 8.15.2|8.15.2| x/\n");
  });
});

describe("XML output with -sV -O", () => {
  const withFile = <T>(xml: string, fn: (file: string, dir: string) => T): T => {
    const dir = mkdtempSync(join(tmpdir(), "prtip-xml-"));
    try {
      const file = join(dir, "scan.xml");
      writeFileSync(file, xml);
      return fn(file, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test("validates against nmap.dtd with services, scripts and os", () => {
    const r = withFile(render("xml"), (file) =>
      spawnSync("xmllint", ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", file], { encoding: "utf8" }),
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("service product and version, banner and ssl-cert scripts inside their ports", () => {
    const xml = render("xml");
    expect(xml).toContain(
      '<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="ssh" product="OpenSSH" version="9.2p1 Debian 2" extrainfo="protocol 2.0" ostype="Linux" method="probed" conf="10"/><script id="banner" output="SSH-2.0-OpenSSH_9.2p1 Debian-2"/></port>',
    );
    expect(xml).toContain('<service name="http" product="Apache httpd" version="2.4.52" extrainfo="(Ubuntu)" method="probed" conf="10"/><script id="banner" output="HTTP/1.1 200 OK\\x0D\\x0AServer: Apache/2.4.52 (Ubuntu)"/>');
    expect(xml).toContain('<service name="http" product="nginx" version="1.22.1" tunnel="ssl" method="probed" conf="10"/>');
    expect(xml).toContain('<service name="http" method="probed" conf="8"/>');
    const output = CERT_LINES.join("&#10;").replaceAll("<", "&#60;").replaceAll(">", "&#62;");
    expect(xml).toContain(
      `<script id="ssl-cert" output="${output}"><elem key="subject">C=DE, O=Lab &#60;test&#62;, CN=lab.example</elem><elem key="issuer">C=DE, O=Lab &#60;test&#62;, CN=lab.example</elem>` +
        `<elem key="notBefore">2026-01-01T00:00:00.000Z</elem><elem key="notAfter">2027-01-01T00:00:00.000Z</elem>` +
        `<table key="san"><elem>lab.example</elem><elem>127.0.0.1</elem></table><elem key="sha256">${CERT_SHA256}</elem><elem key="self_signed">true</elem></script></port>`,
    );
  });

  test("an OS guess is an osmatch; Unknown is an empty os element", () => {
    const xml = render("xml");
    expect(xml).toContain('</ports>\n<os><osmatch name="Linux" accuracy="85" line="0"/>\n</os>\n<times srtt="250"');
    expect(xml).toContain('</ports>\n<os>\n</os>\n<times srtt="500"');
  });

  test("ndiff reads it: the same scan has no differences, a changed OS guess and version show up", () => {
    const xml = render("xml");
    const changed = xml.replace('name="Linux"', 'name="FreeBSD"').replace('product="nginx" version="1.22.1"', 'product="nginx" version="1.24.0"');
    withFile(changed, (other, dir) => {
      const same = join(dir, "same.xml");
      writeFileSync(same, xml);
      const noDiff = spawnSync("ndiff", [same, same], { encoding: "utf8" });
      expect(noDiff.stderr).toBe("");
      expect(noDiff.status).toBe(0);
      const diff = spawnSync("ndiff", [same, other], { encoding: "utf8" });
      expect(diff.stderr).toBe("");
      expect(diff.status).toBe(1);
      expect(diff.stdout).toContain("-443/tcp open  ssl/http nginx 1.22.1\n+443/tcp open  ssl/http nginx 1.24.0\n");
      expect(diff.stdout).toContain("-  Linux\n+  FreeBSD\n");
    });
  });
});

describe("JSON output with -sV -O", () => {
  test("banners, certificates, services and OS guesses stream as event-contract lines", () => {
    const lines = render("json").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => `${l.event}:${l.target ?? ""}:${l.port ?? ""}`)).toEqual([
      "PortFound:198.18.0.1:22",
      "PortFound:198.18.0.1:80",
      "PortFound:198.18.0.1:443",
      "PortFound:198.18.0.2:80",
      "BannerGrabbed:198.18.0.1:22",
      "ServiceDetected:198.18.0.1:22",
      "BannerGrabbed:198.18.0.1:80",
      "ServiceDetected:198.18.0.1:80",
      "CertificateFound:198.18.0.1:443",
      "ServiceDetected:198.18.0.1:443",
      "ServiceDetected:198.18.0.2:80",
      "OSDetected:198.18.0.1:",
      "OSDetected:198.18.0.2:",
      "ScanCompleted::",
    ]);
    expect(Object.keys(lines[8]!)).toEqual(["event", "scan_id", "target", "port", "subject", "issuer", "valid_from", "valid_until", "san", "sha256", "self_signed", "seq", "timestamp"]);
    expect(lines[11]).toMatchObject({ os: "Linux", os_version: null, confidence: 85 });
  });

  test("an OS guess is written the moment it is published", () => {
    const bus = new EventBus();
    const out = capture();
    attachOutputs(bus, { json: out.sink }, DETECT_META);
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
    bus.publish(f.make("OSDetected", { target: "198.18.0.1", os: "Linux", os_version: null, confidence: 85 }));
    expect(out.text()).toBe(
      '{"event":"OSDetected","scan_id":"11111111-2222-4333-8444-555555555555","target":"198.18.0.1","os":"Linux","os_version":null,"confidence":85,"seq":1,"timestamp":"2026-11-29T19:29:35.123Z"}\n',
    );
  });
});

describe("version text as nmap splits it", () => {
  test.each([
    ["OpenSSH_9.2p1 Debian-2", "OpenSSH", "9.2p1 Debian-2", null],
    ["Apache/2.4.52 (Ubuntu)", "Apache", "2.4.52", "Ubuntu"],
    ["Redis 7.0.11", "Redis", "7.0.11", null],
    ["Cyrus IMAP v3.2.6", "Cyrus IMAP", "3.2.6", null],
    ["lighttpd (Debian)", "lighttpd", null, "Debian"],
    ["Postfix", "Postfix", null, null],
  ])("%p is product %p, version %p, extra info %p", (text, product, version, extrainfo) => {
    expect(serviceParts(text)).toEqual({ product, version, extrainfo });
  });
});

describe("version fields from each protocol's own syntax", () => {
  test.each([
    // RFC 4253: SSH-protoversion-softwareversion SP comments; a distribution's package revision joins the version.
    ["SSH", "OpenSSH_9.2p1 Debian-2+deb12u3", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", "OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)"],
    ["SSH", "OpenSSH_8.9p1 Ubuntu-3ubuntu0.6", "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6", "OpenSSH 8.9p1 Ubuntu 3ubuntu0.6 (protocol 2.0)"],
    ["SSH", "OpenSSH_9.6", "SSH-1.99-OpenSSH_9.6", "OpenSSH 9.6 (protocol 1.99)"],
    ["SSH", "dropbear_2022.83", null, "dropbear 2022.83"],
    ["SSH", "OpenSSH_9.6 lab build", "SSH-2.0-OpenSSH_9.6 lab build", "OpenSSH 9.6 (lab build; protocol 2.0)"],
    // RFC 9110 Server: the first product is the server, the rest (comments with their parentheses) extra info.
    ["HTTP", "Apache/2.4.52 (Ubuntu)", null, "Apache httpd 2.4.52 ((Ubuntu))"],
    ["HTTPS", "nginx/1.22.1", null, "nginx 1.22.1"],
    ["HTTP", "Microsoft-IIS/10.0", null, "Microsoft IIS httpd 10.0"],
    ["HTTP", "Apache/2.4.57 (Debian) OpenSSL/3.0.11", null, "Apache httpd 2.4.57 ((Debian) OpenSSL/3.0.11)"],
    ["HTTP", "nginx", null, "nginx"],
    ["SMTP", "Postfix", "220 mail.lab.test ESMTP Postfix (Debian/GNU)", "Postfix"],
    ["REDIS", "Redis 7.0.11", null, "Redis 7.0.11"],
  ])("%s %p (banner %p) reads %p", (service, announced, banner, text) => {
    expect(versionText(versionFields(service, announced, banner))).toBe(text);
  });

  test("a Linux distribution in the SSH comment is the OS; an SMTP greeting's domain is the host", () => {
    expect(versionFields("SSH", "OpenSSH_9.2p1 Debian-2+deb12u3", null)).toMatchObject({ ostype: "Linux", hostname: null });
    expect(versionFields("SSH", "OpenSSH_9.6", null)).toMatchObject({ ostype: null });
    expect(versionFields("SMTP", "Postfix", "220 mail.lab.test ESMTP Postfix")).toMatchObject({ hostname: "mail.lab.test" });
    expect(versionFields("SMTP", null, "220 ESMTP ready")).toBeNull();
  });

  test("Service Info names the host and OS the services gave away, after the OS lines", () => {
    const bus = new EventBus();
    const out = capture();
    attachOutputs(bus, { screen: out.sink }, DETECT_META);
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
    bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 2 }));
    for (const port of [22, 25]) bus.publish(f.portFound({ target: "198.18.0.1", port, protocol: "Tcp", state: "Open", reason: "connect" }));
    bus.publish(f.make("BannerGrabbed", { target: "198.18.0.1", port: 22, protocol: "Tcp", banner: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3" }));
    bus.publish(f.make("ServiceDetected", { target: "198.18.0.1", port: 22, service: "SSH", version: "OpenSSH_9.2p1 Debian-2+deb12u3", confidence: 95 }));
    bus.publish(f.make("BannerGrabbed", { target: "198.18.0.1", port: 25, protocol: "Tcp", banner: "220 mail.lab.test ESMTP Postfix (Debian/GNU)" }));
    bus.publish(f.make("ServiceDetected", { target: "198.18.0.1", port: 25, service: "SMTP", version: "Postfix", confidence: 95 }));
    bus.publish(f.make("ScanCancelled", { reason: "stop", partial_results: true }));
    expect(out.text()).toContain("25/tcp open  smtp    Postfix\nService Info: Host: mail.lab.test; OS: Linux\n");
  });
});

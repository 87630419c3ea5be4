// dist/prtip -sV against real services in the lab's target namespace (sshd,
// nginx HTTP/HTTPS, redis-server, dnsmasq), compared with what the lab started.
// Needs root and the APT packages of .ci/run.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { labUp, type Lab } from "./lab.ts";
import { only, portLines, runPrtip, type JsonEvent, type PrtipRun } from "./prtip.ts";
import { startServices, type LabServices } from "./services.ts";

const atPort = (events: JsonEvent[], type: string, port: number) => only(events, type).filter((e) => e.port === port);

describe("dist/prtip -sV against the lab's real services", () => {
  let lab: Lab;
  let services: LabServices;
  let tcp: PrtipRun;
  let udp: PrtipRun;
  beforeAll(async () => {
    lab = labUp();
    services = await startServices(lab.truth);
    const P = services.ports;
    [tcp, udp] = await Promise.all([
      runPrtip(lab.truth, ["-sS", "-sV", "-Pn", "-p", [P.ssh, P.http, P.https, P.redis, 23].join(","), "-v", "-oJ", "-", services.host]),
      runPrtip(lab.truth, ["-sU", "-sV", "-Pn", "-p", [P.dns, P.udpClosed, P.udpFiltered].join(","), "-v", "-oJ", "-", "--max-retries", "1", services.host]),
    ]);
  });
  afterAll(async () => {
    await services?.stop();
    lab?.down();
  });

  test("the SYN scan sees every service port open and the unused port closed", () => {
    expect(tcp.code).toBe(0);
    const P = services.ports;
    const lines = portLines(tcp.events).map((l) => `${l.port} ${l.state} ${l.reason}`).sort();
    expect(lines).toEqual([`${P.ssh} Open syn-ack`, `${P.http} Open syn-ack`, `${P.https} Open syn-ack`, `${P.redis} Open syn-ack`, "23 Closed rst"].sort());
  });

  test("OpenSSH is SSH with the version sshd -V reports", () => {
    const [ssh] = atPort(tcp.events, "ServiceDetected", services.ports.ssh);
    expect(ssh?.service).toBe("SSH");
    expect(String(ssh?.version)).toContain(services.versions.ssh);
  });

  test("nginx is HTTP and, over TLS, HTTPS, both with nginx's own version", () => {
    expect(atPort(tcp.events, "ServiceDetected", services.ports.http)[0]).toMatchObject({ service: "HTTP", version: services.versions.nginx });
    expect(atPort(tcp.events, "ServiceDetected", services.ports.https)[0]).toMatchObject({ service: "HTTPS", version: services.versions.nginx });
  });

  test("the certificate is the one openssl made at lab start: subject, issuer, SANs, sha256, self-signed", () => {
    const certs = atPort(tcp.events, "CertificateFound", services.ports.https);
    expect(certs).toHaveLength(1);
    expect(certs[0]).toMatchObject({
      target: services.host,
      subject: services.cert.subject,
      issuer: services.cert.issuer,
      san: services.cert.san,
      sha256: services.cert.sha256,
      self_signed: true,
    });
    expect(atPort(tcp.events, "CertificateFound", services.ports.http)).toEqual([]);
  });

  test("redis-server is REDIS with its version", () => {
    const [redis] = atPort(tcp.events, "ServiceDetected", services.ports.redis);
    expect(redis?.service).toBe("REDIS");
    expect(String(redis?.version)).toContain(services.versions.redis);
  });

  test("-sU: dnsmasq open and DNS with its version, the closed port closed, the firewalled one open|filtered", () => {
    expect(udp.code).toBe(0);
    const P = services.ports;
    const lines = portLines(udp.events).map((l) => `${l.port} ${l.protocol} ${l.state} ${l.reason}`).sort();
    expect(lines).toEqual([`${P.dns} Udp Open udp-response`, `${P.udpClosed} Udp Closed icmp-unreach`, `${P.udpFiltered} Udp OpenFiltered no-response`].sort());
    const [dns] = atPort(udp.events, "ServiceDetected", P.dns);
    expect(dns?.service).toBe("DNS");
    expect(String(dns?.version)).toContain(`dnsmasq-${services.versions.dnsmasq}`);
    expect(only(udp.events, "ServiceDetected").map((e) => e.port)).toEqual([P.dns]);
  });
});

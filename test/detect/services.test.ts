import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { detectServices, grabBanner, identifyPort, MAX_BANNER, tcpConnect } from "../../src/detect/index.ts";
import type { BannerFields, CertificateFields, Connect, DetectServicesOptions, OpenPort, ServiceFields } from "../../src/detect/index.ts";
import { EventFactory, decodeEvent, encodeEvent, rejectReason } from "../../src/events/index.ts";
import { HOST, freePort, startLab } from "./lab-services.ts";
import type { Lab } from "./lab-services.ts";

// Loopback answers in microseconds; short waits keep the suite fast without changing what is tested.
const FAST: Partial<DetectServicesOptions> = { bannerTimeoutMs: 400, probeTimeoutMs: 1500, connectTimeoutMs: 1500, idleMs: 100 };

interface Collected {
  services: ServiceFields[];
  banners: BannerFields[];
  certificates: CertificateFields[];
}

async function detect(ports: OpenPort[], options: Partial<DetectServicesOptions> = {}): Promise<Collected> {
  const found: Collected = { services: [], banners: [], certificates: [] };
  await detectServices(ports, { ...FAST, ...options }, {
    service: (f) => found.services.push(f),
    banner: (f) => found.banners.push(f),
    certificate: (f) => found.certificates.push(f),
  });
  return found;
}

let lab: Lab;
let all: Collected;
const at = <T extends { port: number }>(list: T[], port: number) => list.filter((f) => f.port === port);

beforeAll(async () => {
  lab = await startLab();
  all = await detect([
    { target: HOST, port: lab.ssh },
    { target: HOST, port: lab.http },
    { target: HOST, port: lab.https },
    { target: HOST, port: lab.redis },
    { target: HOST, port: lab.dns, protocol: "Udp" },
  ]);
});

afterAll(async () => {
  await lab?.stop();
});

describe("service detection against real services", () => {
  test("OpenSSH is SSH with the version sshd -V reports", () => {
    const [ssh] = at(all.services, lab.ssh);
    expect(ssh?.service).toBe("SSH");
    expect(ssh?.version).toContain(lab.versions.ssh);
    expect(ssh?.confidence).toBeGreaterThanOrEqual(90);
    expect(at(all.banners, lab.ssh)[0]?.banner).toStartWith(`SSH-2.0-${lab.versions.ssh}`);
  });

  test("nginx is HTTP with the Server header nginx -v names", () => {
    const [http] = at(all.services, lab.http);
    expect(http).toMatchObject({ target: HOST, service: "HTTP", version: lab.versions.nginx });
    expect(at(all.certificates, lab.http)).toEqual([]);
  });

  test("nginx TLS on a non-TLS port is found by its plain-HTTP complaint and reported as HTTPS", () => {
    const [https] = at(all.services, lab.https);
    expect(https).toMatchObject({ service: "HTTPS", version: lab.versions.nginx });
  });

  test("the certificate matches the one openssl generated: subject, issuer, SANs, sha256, self-signed, validity", () => {
    const [cert] = at(all.certificates, lab.https);
    expect(cert).toMatchObject({
      target: HOST,
      subject: lab.cert.subject,
      issuer: lab.cert.issuer,
      sha256: lab.cert.sha256,
      san: lab.cert.san,
      self_signed: true,
    });
    const from = Date.parse(cert!.valid_from!);
    const until = Date.parse(cert!.valid_until!);
    expect(Math.abs(from - Date.now())).toBeLessThan(10 * 60_000);
    expect(until - from).toBe(30 * 86_400_000);
  });

  test("redis-server is REDIS with its version from INFO", () => {
    const [redis] = at(all.services, lab.redis);
    expect(redis?.service).toBe("REDIS");
    expect(redis?.version).toContain(lab.versions.redis);
  });

  test("dnsmasq on UDP is DNS with its version.bind answer", () => {
    const [dns] = at(all.services, lab.dns);
    expect(dns?.service).toBe("DNS");
    expect(dns?.version).toContain(`dnsmasq-${lab.versions.dnsmasq}`);
    expect(at(all.banners, lab.dns)[0]?.protocol).toBe("Udp");
  });

  test("every banner is printable ASCII of at most 1 KiB, one per port", () => {
    expect(all.banners.length).toBeGreaterThanOrEqual(5);
    for (const b of all.banners) {
      expect(b.banner.length).toBeLessThanOrEqual(MAX_BANNER);
      expect(b.banner).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(new Set(all.banners.map((b) => b.port)).size).toBe(all.banners.length);
  });

  test("grabBanner returns sshd's greeting and nothing from a silent HTTP server", async () => {
    const options = { connect: tcpConnect, connectTimeoutMs: 1500, timeoutMs: 400 };
    expect(await grabBanner(HOST, lab.ssh, options)).toStartWith("SSH-2.0-OpenSSH");
    expect(await grabBanner(HOST, lab.http, options)).toBeNull();
  });

  test("--version-intensity 0 sends no probe that is not registered for the port, 1 finds HTTP", async () => {
    const base = { connect: tcpConnect, connectTimeoutMs: 1500, probeTimeoutMs: 1500, bannerTimeoutMs: 300, idleMs: 100 };
    const light = await identifyPort(HOST, lab.http, { ...base, intensity: 0 });
    expect(light.service).toBeNull();
    const normal = await identifyPort(HOST, lab.http, { ...base, intensity: 1 });
    expect(normal.service?.service).toBe("HTTP");
  });

  test("no more ports are under detection at once than maxConcurrent allows", async () => {
    const open = new Map<number, number>();
    let peak = 0;
    const counting: Connect = async (host, port, timeoutMs, signal) => {
      const socket = await tcpConnect(host, port, timeoutMs, signal);
      open.set(port, (open.get(port) ?? 0) + 1);
      peak = Math.max(peak, open.size);
      socket.once("close", () => {
        const left = (open.get(port) ?? 1) - 1;
        if (left === 0) open.delete(port);
        else open.set(port, left);
      });
      return socket;
    };
    const ports = [lab.ssh, lab.http, lab.redis, lab.https].map((port) => ({ target: HOST, port }));
    const found = await detect(ports, { connect: counting, maxConcurrent: 2 });
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(found.services.map((s) => s.service).sort()).toEqual(["HTTP", "HTTPS", "REDIS", "SSH"]);
  });

  test("a closed port yields nothing and no error", async () => {
    const closed = await freePort();
    const found = await detect([{ target: HOST, port: closed }]);
    expect(found).toEqual({ services: [], banners: [], certificates: [] });
  });

  test("every result becomes a valid event as is: ServiceDetected, BannerGrabbed, CertificateFound", () => {
    const factory = new EventFactory("3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b", { now: () => 0 });
    const events = [
      ...all.services.map((f) => factory.make("ServiceDetected", f)),
      ...all.banners.map((f) => factory.make("BannerGrabbed", f)),
      ...all.certificates.map((f) => factory.make("CertificateFound", f)),
    ];
    expect(events.length).toBeGreaterThanOrEqual(11);
    for (const event of events) {
      expect(rejectReason(event)).toBeNull();
      expect(decodeEvent(encodeEvent(event))).toEqual(event);
    }
  });

  test("an aborted detection reports nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const found = await detect([{ target: HOST, port: lab.ssh }, { target: HOST, port: lab.http }], { signal: controller.signal });
    expect(found).toEqual({ services: [], banners: [], certificates: [] });
  });
});

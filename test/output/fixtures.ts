import { type AnyEvent, EventBus, EventFactory } from "../../src/events/index.ts";
import type { PortFields } from "../../src/events/index.ts";
import type { OutputMeta } from "../../src/output/index.ts";

export const T0 = Date.UTC(2026, 10, 29, 19, 29, 35, 123);

export const META: OutputMeta = {
  version: "0.1.0",
  commandLine: "prtip -sT -p 1-40 198.18.0.1 2001:db8::5",
  scanType: "connect",
  protocol: "tcp",
  ports: Array.from({ length: 40 }, (_, i) => i + 1),
  verbosity: 0,
};

/** A small finished scan: 198.18.0.1 with 22 and 25 open, 30 closed, 8 filtered; 2001:db8::5 with 22 open. */
export function replayScan(bus: EventBus, opts: { cancel?: boolean; closedHost?: boolean } = {}): void {
  let now = T0;
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => now });
  const pub = (e: AnyEvent) => bus.publish(e);
  pub(f.make("ScanStarted", { scan_type: "Connect", target_count: 2, port_count: 40 }));
  now += 10;
  pub(f.make("HostDiscovered", { ip: "198.18.0.1", method: "TCP", latency_ms: 0.25 }));
  pub(f.make("HostDiscovered", { ip: "2001:db8::5", method: "TCP", latency_ms: 0.5 }));
  for (let port = 1; port <= 40; port++) {
    now += 1;
    const state: PortFields["state"] = port === 22 || port === 25 ? "Open" : port > 32 ? "Filtered" : "Closed";
    const reason: PortFields["reason"] = state === "Open" ? "connect" : state === "Closed" ? "rst" : "no-response";
    pub(f.portFound({ target: "198.18.0.1", port, protocol: "Tcp", state, reason }));
    pub(f.ipv6PortFound({ target: "2001:db8::5", port, protocol: "Tcp", state: port === 22 ? "Open" : "Closed", reason: port === 22 ? "connect" : "rst" }));
    if (opts.closedHost) pub(f.portFound({ target: "198.18.0.9", port, protocol: "Tcp", state: "Closed", reason: "rst" }));
  }
  now += 1000;
  if (opts.cancel) {
    pub(f.make("ScanCancelled", { reason: "interrupted by SIGINT", partial_results: true }));
    return;
  }
  pub(
    f.make("ScanCompleted", {
      targets_scanned: 2,
      ports_scanned: 80,
      duration: 1.09,
      hosts_up: 2,
      open_ports: 3,
      closed_ports: 69,
      filtered_ports: 8,
      services_detected: 0,
    }),
  );
}

export function capture() {
  let text = "";
  return { sink: { write: (t: string) => void (text += t) }, text: () => text };
}

export const DETECT_META: OutputMeta = { ...META, commandLine: "prtip -sT -sV -O -p 22,80,443 198.18.0.1-2", ports: [22, 80, 443] };

export const CERT_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/**
 * A finished -sV -O scan: 198.18.0.1 with SSH (banner), HTTP and HTTPS (banner,
 * certificate) open and a Linux guess; 198.18.0.2 with 80 open and no OS match.
 */
export function replayDetection(bus: EventBus): void {
  let now = T0;
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => now });
  const pub = (e: AnyEvent) => bus.publish(e);
  const a = "198.18.0.1";
  const b = "198.18.0.2";
  pub(f.make("ScanStarted", { scan_type: "Connect", target_count: 2, port_count: 3 }));
  now += 10;
  pub(f.make("HostDiscovered", { ip: a, method: "TCP", latency_ms: 0.25 }));
  pub(f.make("HostDiscovered", { ip: b, method: "TCP", latency_ms: 0.5 }));
  for (const port of [22, 80, 443]) pub(f.portFound({ target: a, port, protocol: "Tcp", state: "Open", reason: "connect" }));
  for (const port of [22, 80, 443]) pub(f.portFound({ target: b, port, protocol: "Tcp", state: port === 80 ? "Open" : "Closed", reason: port === 80 ? "connect" : "rst" }));
  now += 100;
  pub(f.make("BannerGrabbed", { target: a, port: 22, protocol: "Tcp", banner: "SSH-2.0-OpenSSH_9.2p1 Debian-2" }));
  pub(f.make("ServiceDetected", { target: a, port: 22, service: "SSH", version: "OpenSSH_9.2p1 Debian-2", confidence: 95 }));
  pub(f.make("BannerGrabbed", { target: a, port: 80, protocol: "Tcp", banner: "HTTP/1.1 200 OK\\r\\nServer: Apache/2.4.52 (Ubuntu)" }));
  pub(f.make("ServiceDetected", { target: a, port: 80, service: "HTTP", version: "Apache/2.4.52 (Ubuntu)", confidence: 95 }));
  pub(
    f.make("CertificateFound", {
      target: a,
      port: 443,
      subject: "C=DE, O=Lab <test>, CN=lab.example",
      issuer: "C=DE, O=Lab <test>, CN=lab.example",
      valid_from: "2026-01-01T00:00:00.000Z",
      valid_until: "2027-01-01T00:00:00.000Z",
      san: ["lab.example", "127.0.0.1"],
      sha256: CERT_SHA256,
      self_signed: true,
    }),
  );
  pub(f.make("ServiceDetected", { target: a, port: 443, service: "HTTPS", version: "nginx/1.22.1", confidence: 95 }));
  pub(f.make("ServiceDetected", { target: b, port: 80, service: "HTTP", version: null, confidence: 80 }));
  now += 50;
  pub(f.make("OSDetected", { target: a, os: "Linux", os_version: null, confidence: 85 }));
  pub(f.make("OSDetected", { target: b, os: "Unknown", os_version: null, confidence: 0 }));
  now += 1000;
  pub(
    f.make("ScanCompleted", {
      targets_scanned: 2,
      ports_scanned: 6,
      duration: 1.17,
      hosts_up: 2,
      open_ports: 4,
      closed_ports: 2,
      filtered_ports: 0,
      services_detected: 4,
    }),
  );
}

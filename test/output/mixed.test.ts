import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AnyEvent, EventBus, EventFactory, type PortFields } from "../../src/events/index.ts";
import { type OutputMeta, type ServiceProtocols, attachOutputs } from "../../src/output/index.ts";
import { T0, capture } from "./fixtures.ts";

// The reports of a combined scan (-sT -sU): one scan on the bus, TCP and UDP
// results for one host, and services on 53/tcp and 53/udp from two detectors.

const HOST = "198.18.0.1";

const META: OutputMeta = {
  version: "0.1.0",
  commandLine: "prtip -sT -sU -sV -p 1-40,53 198.18.0.1",
  scanType: "connect",
  protocol: "tcp",
  ports: [...Array.from({ length: 40 }, (_, i) => i + 1), 53],
  udpPorts: [...Array.from({ length: 40 }, (_, i) => i + 1), 53],
  verbosity: 0,
};

/**
 * TCP: 22 and 53 open, the rest of 1-40 closed (39). UDP: 53 open, 1-40 closed (40).
 * -sV: SSH on 22/tcp, DNS over TCP on 53/tcp, then (the UDP pass's detector) DNS on 53/udp.
 */
function replayMixed(bus: EventBus, noted: ServiceProtocols): void {
  let now = T0;
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => now });
  const pub = (e: AnyEvent) => bus.publish(e);
  const port = (port: number, protocol: PortFields["protocol"], open: boolean) =>
    pub(f.portFound({ target: HOST, port, protocol, state: open ? "Open" : "Closed", reason: open ? (protocol === "Tcp" ? "connect" : "udp-response") : protocol === "Tcp" ? "rst" : "icmp-unreach" }));
  pub(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 82 }));
  pub(f.make("HostDiscovered", { ip: HOST, method: "TCP", latency_ms: 0.25 }));
  for (let p = 1; p <= 40; p++) port(p, "Tcp", p === 22);
  port(53, "Tcp", true);
  for (let p = 1; p <= 40; p++) port(p, "Udp", false);
  port(53, "Udp", true);
  now += 100;
  const service = (p: number, protocol: PortFields["protocol"], name: string, version: string | null) => {
    const e = f.make("ServiceDetected", { target: HOST, port: p, service: name, version, confidence: 90 });
    noted.set(e, protocol);
    pub(e);
  };
  service(22, "Tcp", "SSH", "OpenSSH_9.2p1 Debian-2");
  service(53, "Tcp", "DNS-TCP", null);
  service(53, "Udp", "DNS", "dnsmasq 2.89");
  now += 1000;
  pub(
    f.make("ScanCompleted", {
      targets_scanned: 1,
      ports_scanned: 82,
      duration: 1.1,
      hosts_up: 1,
      open_ports: 3,
      closed_ports: 79,
      filtered_ports: 0,
      services_detected: 3,
    }),
  );
}

function reports() {
  const bus = new EventBus();
  const noted: ServiceProtocols = new WeakMap();
  const screen = capture();
  const grepable = capture();
  const xml = capture();
  attachOutputs(bus, { screen: screen.sink, grepable: grepable.sink, xml: xml.sink }, { ...META, serviceProtocols: noted });
  replayMixed(bus, noted);
  return { normal: screen.text(), grepable: grepable.text(), xml: xml.text() };
}

describe("the reports of a combined TCP and UDP scan", () => {
  test("normal output: one report for the host, TCP rows then UDP rows, a Not shown entry per protocol", () => {
    const { normal } = reports();
    expect(normal.match(/scan report for/g)).toHaveLength(1);
    expect(normal).toContain("Not shown: 40 closed udp ports (port-unreach), 39 closed tcp ports (conn-refused)\n");
    const rows = normal.split("\n").filter((l) => /^\d+\/(tcp|udp)/.test(l));
    expect(rows.map((r) => r.split(/\s+/).slice(0, 3).join(" "))).toEqual(["22/tcp open ssh", "53/tcp open dns-tcp", "53/udp open dns"]);
  });

  test("-sV services on 53/tcp and 53/udp are kept apart", () => {
    const { normal, grepable, xml } = reports();
    expect(normal).toMatch(/^53\/tcp +open +dns-tcp *$/m);
    expect(normal).toMatch(/^53\/udp +open +dns +dnsmasq 2\.89$/m);
    expect(grepable).toContain("53/open/tcp//dns-tcp///, 53/open/udp//dns//dnsmasq 2.89/");
    expect(xml).toContain('<port protocol="tcp" portid="53"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="dns-tcp" method="probed" conf="9"/>');
    expect(xml).toContain('<port protocol="udp" portid="53"><state state="open" reason="udp-response" reason_ttl="0"/><service name="dns" product="dnsmasq" version="2.89"');
  });

  test("grepable output: one Ports list with both protocols and the ignored state counted over both", () => {
    const { grepable } = reports();
    const ports = grepable.split("\n").filter((l) => l.includes("Ports:"));
    expect(ports).toHaveLength(1);
    expect(ports[0]).toContain("Ports: 22/open/tcp//ssh//OpenSSH 9.2p1 Debian 2/, 53/open/tcp//dns-tcp///, 53/open/udp//dns//dnsmasq 2.89/\tIgnored State: closed (79)");
  });

  test("XML output: a scaninfo per protocol, extrareasons per protocol, valid against nmap.dtd", () => {
    const { xml } = reports();
    expect(xml.match(/<scaninfo [^>]*>/g)).toEqual([
      '<scaninfo type="connect" protocol="tcp" numservices="41" services="1-40,53"/>',
      '<scaninfo type="udp" protocol="udp" numservices="41" services="1-40,53"/>',
    ]);
    expect(xml).toContain('<extraports state="closed" count="79">');
    expect(xml).toContain('<extrareasons reason="port-unreach" count="40" proto="udp" ports="1-40"/>');
    expect(xml).toContain('<extrareasons reason="conn-refused" count="39" proto="tcp" ports="1-21,23-40"/>');
    if (!existsSync("/usr/share/nmap/nmap.dtd")) return;
    const dir = mkdtempSync(join(tmpdir(), "prtip-mixed-xml-"));
    try {
      const file = join(dir, "scan.xml");
      writeFileSync(file, xml);
      const r = spawnSync("xmllint", ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", file], { encoding: "utf8" });
      if (r.error) return; // no xmllint here
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a service without a note belongs to the scan's own protocol (a -sU scan's is UDP)", () => {
    const bus = new EventBus();
    const screen = capture();
    attachOutputs(bus, { screen: screen.sink }, { ...META, scanType: "udp", protocol: "udp", udpPorts: undefined, ports: [53] });
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
    bus.publish(f.make("ScanStarted", { scan_type: "Udp", target_count: 1, port_count: 1 }));
    bus.publish(f.portFound({ target: HOST, port: 53, protocol: "Udp", state: "Open", reason: "udp-response" }));
    bus.publish(f.make("ServiceDetected", { target: HOST, port: 53, service: "DNS", version: null, confidence: 90 }));
    bus.publish(
      f.make("ScanCompleted", { targets_scanned: 1, ports_scanned: 1, duration: 0.1, hosts_up: 1, open_ports: 1, closed_ports: 0, filtered_ports: 0, services_detected: 1 }),
    );
    expect(screen.text()).toMatch(/^53\/udp open  dns$/m);
  });
});

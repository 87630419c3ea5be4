import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import { type OutputMeta, attachOutputs } from "../../src/output/index.ts";
import { type PortNamer, parseServicesFile, portNamer } from "../../src/scan/index.ts";
import { T0, capture } from "./fixtures.ts";

// Ports prtip's own table has no name for take the services file's name (nmap's,
// where installed); the fixture stands in for it.
const SAMPLE = join(import.meta.dir, "../fixtures/nmap-services-sample");
const withSample: PortNamer = portNamer(() => parseServicesFile(readFileSync(SAMPLE, "utf8")));

const META: OutputMeta = {
  version: "0.1.0",
  commandLine: "prtip -sT -sU -p T:2525,8080,U:10007 198.18.0.1",
  scanType: "connect",
  protocol: "tcp",
  ports: [2525, 8080],
  udpPorts: [10007],
  verbosity: 0,
};

function reports(portName: PortNamer | undefined, serviceScan = false) {
  const bus = new EventBus();
  const [screen, grepable, xml] = [capture(), capture(), capture()];
  attachOutputs(bus, { screen: screen.sink, grepable: grepable.sink, xml: xml.sink }, { ...META, serviceProtocols: new WeakMap(), portName, serviceScan });
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
  bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 3 }));
  bus.publish(f.make("HostDiscovered", { ip: "198.18.0.1", method: "TCP", latency_ms: 0.25 }));
  bus.publish(f.portFound({ target: "198.18.0.1", port: 2525, protocol: "Tcp", state: "Open", reason: "connect" }));
  bus.publish(f.portFound({ target: "198.18.0.1", port: 8080, protocol: "Tcp", state: "Closed", reason: "rst" }));
  bus.publish(f.portFound({ target: "198.18.0.1", port: 10007, protocol: "Udp", state: "OpenFiltered", reason: "no-response" }));
  const done = { targets_scanned: 1, ports_scanned: 3, duration: 1, hosts_up: 1, open_ports: 1, closed_ports: 1, filtered_ports: 0, services_detected: 0 };
  bus.publish(f.make("ScanCompleted", done));
  return { normal: screen.text(), grepable: grepable.text(), xml: xml.text() };
}

describe("port names from a services file", () => {
  test("a port prtip has no name for reads the file's name in normal, -oG and -oX output", () => {
    const { normal, grepable, xml } = reports(withSample);
    expect(normal).toMatch(/^2525\/tcp +open +fixture-mail$/m);
    expect(normal).toMatch(/^10007\/udp +open\|filtered +fixture-dgram$/m);
    expect(grepable).toContain("2525/open/tcp//fixture-mail///");
    expect(grepable).toContain("10007/open|filtered/udp//fixture-dgram///");
    expect(xml).toContain('portid="2525"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="fixture-mail" method="table" conf="3"/>');
    expect(xml).toContain('<service name="fixture-dgram" method="table" conf="3"/>');
  });

  test("prtip's own name wins where it has one (8080 stays http-alt)", () => {
    const { normal, grepable, xml } = reports(withSample);
    expect(normal).toMatch(/^8080\/tcp +closed +http-alt$/m);
    expect(grepable).toContain("8080/closed/tcp//http-alt///");
    expect(xml).toContain('<service name="http-alt" method="table" conf="3"/>');
    expect(`${normal}${grepable}${xml}`).not.toContain("fixture-web");
  });

  test("with -sV an open port the probes did not identify shows the file's name as a guess", () => {
    expect(reports(withSample, true).normal).toMatch(/^2525\/tcp +open +fixture-mail\?/m);
  });

  test("without a namer (no services file) those ports read unknown", () => {
    const { normal, grepable } = reports(undefined);
    expect(normal).toMatch(/^2525\/tcp +open +unknown$/m);
    expect(grepable).toContain("2525/open/tcp//unknown///");
  });
});

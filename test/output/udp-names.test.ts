import { describe, expect, test } from "bun:test";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import { type OutputMeta, attachOutputs } from "../../src/output/index.ts";
import { T0, capture } from "./fixtures.ts";

// Without -sV a port's SERVICE is the table's name, and UDP's table differs from TCP's.
const META: OutputMeta = {
  version: "0.1.0",
  commandLine: "prtip -sT -sU -p 514,520 198.18.0.1",
  scanType: "connect",
  protocol: "tcp",
  ports: [514, 520],
  udpPorts: [514, 520],
  verbosity: 0,
};

function reports() {
  const bus = new EventBus();
  const screen = capture();
  const grepable = capture();
  const xml = capture();
  attachOutputs(bus, { screen: screen.sink, grepable: grepable.sink, xml: xml.sink }, { ...META, serviceProtocols: new WeakMap() });
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
  bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 4 }));
  bus.publish(f.make("HostDiscovered", { ip: "198.18.0.1", method: "TCP", latency_ms: 0.25 }));
  for (const protocol of ["Tcp", "Udp"] as const) {
    for (const port of [514, 520]) {
      bus.publish(f.portFound({ target: "198.18.0.1", port, protocol, state: "Open", reason: protocol === "Tcp" ? "connect" : "udp-response" }));
    }
  }
  const done = { targets_scanned: 1, ports_scanned: 4, duration: 1, hosts_up: 1, open_ports: 4, closed_ports: 0, filtered_ports: 0, services_detected: 0 };
  bus.publish(f.make("ScanCompleted", done));
  return { normal: screen.text(), grepable: grepable.text(), xml: xml.text() };
}

describe("port names per protocol", () => {
  test("514/udp reads syslog and 520/udp router in every format, where the TCP ports read shell and efs", () => {
    const { normal, grepable, xml } = reports();
    expect(normal).toMatch(/^514\/tcp +open +shell$/m);
    expect(normal).toMatch(/^514\/udp +open +syslog$/m);
    expect(normal).toMatch(/^520\/udp +open +router$/m);
    expect(grepable).toContain("514/open/tcp//shell///, 520/open/tcp//efs///, 514/open/udp//syslog///, 520/open/udp//router///");
    expect(xml).toContain('<port protocol="udp" portid="514"><state state="open" reason="udp-response" reason_ttl="0"/><service name="syslog" method="table" conf="3"/>');
  });
});

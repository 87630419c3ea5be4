import { describe, expect, test } from "bun:test";
import { type AnyEvent, EventBus, EventFactory } from "../../src/events/index.ts";
import { type OutputMeta, ResultCollector, attachOutputs } from "../../src/output/index.ts";
import { T0, capture } from "./fixtures.ts";

// -sU -sV: an open|filtered UDP port that answers a version probe gets a second
// PortFound, Open. Every report keys ports by (host, port, protocol): the later
// state replaces the earlier, one row, open, with its service.

const HOST = "198.18.0.1";

const META: OutputMeta = {
  version: "0.1.0",
  commandLine: "prtip -sU -sV -p 5300-5302 198.18.0.1",
  scanType: "udp",
  protocol: "udp",
  ports: [5300, 5301, 5302],
  verbosity: 0,
};

/** 5300 silent then promoted (DNS), 5301 silent throughout, 5302 closed. */
function replayPromotion(bus: EventBus): void {
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
  const pub = (e: AnyEvent) => bus.publish(e);
  pub(f.make("ScanStarted", { scan_type: "Udp", target_count: 1, port_count: 3 }));
  pub(f.portFound({ target: HOST, port: 5300, protocol: "Udp", state: "OpenFiltered", reason: "no-response" }));
  pub(f.portFound({ target: HOST, port: 5301, protocol: "Udp", state: "OpenFiltered", reason: "no-response" }));
  pub(f.portFound({ target: HOST, port: 5302, protocol: "Udp", state: "Closed", reason: "icmp-unreach" }));
  pub(f.portFound({ target: HOST, port: 5300, protocol: "Udp", state: "Open", reason: "udp-response" }));
  pub(f.make("ServiceDetected", { target: HOST, port: 5300, service: "DNS", version: "dnsmasq 2.89", confidence: 95 }));
  pub(
    f.make("ScanCompleted", { targets_scanned: 1, ports_scanned: 3, duration: 0.5, hosts_up: 1, open_ports: 1, closed_ports: 1, filtered_ports: 1, services_detected: 1 }),
  );
}

function reports() {
  const bus = new EventBus();
  const screen = capture();
  const grepable = capture();
  const xml = capture();
  const json = capture();
  attachOutputs(bus, { screen: screen.sink, grepable: grepable.sink, xml: xml.sink, json: json.sink }, META);
  replayPromotion(bus);
  return { normal: screen.text(), grepable: grepable.text(), xml: xml.text(), json: json.text() };
}

describe("a later PortFound for the same port", () => {
  test("the collector replaces the earlier state: one row, open", () => {
    const bus = new EventBus();
    const results = new ResultCollector();
    results.attach(bus);
    replayPromotion(bus);
    const [host] = results.reports();
    expect(host!.entries().map((p) => `${p.port} ${p.state} ${p.reason}`)).toEqual([
      "5300 Open udp-response",
      "5301 OpenFiltered no-response",
      "5302 Closed icmp-unreach",
    ]);
    expect(host!.portCount).toBe(3);
    expect(Object.fromEntries(host!.stateCounts())).toEqual({ Open: 1, OpenFiltered: 1, Closed: 1 });
  });

  test("a port whose only earlier group empties leaves no empty group behind (no \"Not shown: 0\")", () => {
    const bus = new EventBus();
    const results = new ResultCollector();
    results.attach(bus);
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
    bus.publish(f.portFound({ target: HOST, port: 5300, protocol: "Udp", state: "OpenFiltered", reason: "no-response" }));
    bus.publish(f.portFound({ target: HOST, port: 5300, protocol: "Udp", state: "Open", reason: "udp-response" }));
    expect([...results.reports()[0]!.stateCounts().keys()]).toEqual(["Open"]);
  });

  test("the same port number over TCP is another port: it is not replaced", () => {
    const bus = new EventBus();
    const results = new ResultCollector();
    results.attach(bus);
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
    bus.publish(f.portFound({ target: HOST, port: 53, protocol: "Tcp", state: "Closed", reason: "rst" }));
    bus.publish(f.portFound({ target: HOST, port: 53, protocol: "Udp", state: "Open", reason: "udp-response" }));
    expect(results.reports()[0]!.entries().map((p) => `${p.port}/${p.protocol} ${p.state}`)).toEqual(["53/Tcp Closed", "53/Udp Open"]);
  });

  test("a host with thousands of ports still finds the earlier result (the bit set past the small table)", () => {
    const bus = new EventBus();
    const results = new ResultCollector();
    results.attach(bus);
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => T0 });
    for (let port = 1; port <= 5000; port++) bus.publish(f.portFound({ target: HOST, port, protocol: "Udp", state: "OpenFiltered", reason: "no-response" }));
    for (const port of [1, 2500, 5000]) bus.publish(f.portFound({ target: HOST, port, protocol: "Udp", state: "Open", reason: "udp-response" }));
    const host = results.reports()[0]!;
    expect(host.portCount).toBe(5000);
    expect(host.entries((s) => s === "Open").map((p) => p.port)).toEqual([1, 2500, 5000]);
  });

  test("normal output lists the port once, open, with its service", () => {
    const { normal } = reports();
    const rows = normal.split("\n").filter((l) => /^\d+\/udp/.test(l));
    expect(rows).toEqual([expect.stringMatching(/^5300\/udp +open +dns +dnsmasq 2\.89$/), expect.stringMatching(/^5301\/udp +open\|filtered/), expect.stringMatching(/^5302\/udp +closed/)]);
  });

  test("grepable output lists the port once, open, with its service", () => {
    const { grepable } = reports();
    expect(grepable.match(/5300\//g)).toHaveLength(1);
    expect(grepable).toContain("5300/open/udp//dns//dnsmasq 2.89/");
  });

  test("XML output has one <port> for it, state open, reason udp-response, with its service", () => {
    const { xml } = reports();
    expect(xml.match(/portid="5300"/g)).toHaveLength(1);
    expect(xml).toContain('<port protocol="udp" portid="5300"><state state="open" reason="udp-response" reason_ttl="0"/><service name="dns" product="dnsmasq" version="2.89"');
  });

  test("-oJ streams both PortFound lines, as the event log does: open|filtered first, then open", () => {
    const { json } = reports();
    const lines = json.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const ports = lines.filter((l) => l.event === "PortFound").map((l) => `${String(l.port)} ${String(l.state)}`);
    expect(ports).toEqual(["5300 OpenFiltered", "5301 OpenFiltered", "5300 Open"]);
    expect(lines.at(-1)!.event).toBe("ScanCompleted");
  });
});

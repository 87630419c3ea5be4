import { describe, expect, test } from "bun:test";
import { HostReport } from "../../src/output/collector.ts";
import { splitShown } from "../../src/output/shown-ports.ts";

function host(): HostReport {
  const h = new HostReport("198.18.0.10", 0, 0);
  // Results arrive in scan order, not port order.
  for (let p = 139; p >= 100; p--) h.add(p, "Tcp", "Filtered", p < 112 ? "icmp-unreach" : "no-response");
  h.add(443, "Tcp", "Open", "syn-ack");
  for (let p = 30; p >= 1; p--) h.add(p, "Tcp", "Closed", "rst");
  h.add(22_000, "Tcp", "Closed", "rst");
  h.add(80, "Tcp", "Open", "syn-ack");
  return h;
}

describe("a host's port results", () => {
  test("are counted per state without building an entry per port", () => {
    const h = host();
    expect(h.portCount).toBe(73);
    expect(Object.fromEntries(h.stateCounts())).toEqual({ Filtered: 40, Open: 2, Closed: 31 });
  });

  test("states past the limit are summarised in the order of their lowest port, with their commonest reason", () => {
    const { shown, hidden } = splitShown(host(), 25);
    expect(shown).toEqual([
      { port: 80, protocol: "Tcp", state: "Open", reason: "syn-ack" },
      { port: 443, protocol: "Tcp", state: "Open", reason: "syn-ack" },
    ]);
    expect(hidden.map((c) => [c.state, c.count, c.reason, c.protocol])).toEqual([
      ["Closed", 31, "rst", "Tcp"],
      ["Filtered", 40, "no-response", "Tcp"],
    ]);
    expect(hidden[0]!.ports()).toEqual([...Array.from({ length: 30 }, (_, i) => i + 1), 22_000]);
    expect(hidden[1]!.ports()).toEqual(Array.from({ length: 40 }, (_, i) => i + 100));
  });

  test("a state at or under the limit is listed port by port, in port order", () => {
    const { shown, hidden } = splitShown(host(), 40);
    expect(hidden.map((c) => c.state)).toEqual([]);
    expect(shown.map((p) => p.port)).toEqual([...Array.from({ length: 30 }, (_, i) => i + 1), 80, ...Array.from({ length: 40 }, (_, i) => i + 100), 443, 22_000]);
  });

  test("a full port range fits: 65,535 ports are kept and come back in order", () => {
    const h = new HostReport("198.18.0.11", 0, 0);
    for (let p = 65_535; p >= 1; p--) h.add(p, "Tcp", "Filtered", "no-response");
    const [filtered] = splitShown(h, 25).hidden;
    expect(filtered!.count).toBe(65_535);
    const ports = filtered!.ports();
    expect(ports[0]).toBe(1);
    expect(ports.at(-1)).toBe(65_535);
    expect(ports.every((p, i) => p === i + 1)).toBe(true);
  });
});

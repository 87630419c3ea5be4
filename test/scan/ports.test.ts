import { describe, expect, test } from "bun:test";
import { RANKED_PORTS, choosePorts, parsePorts, serviceName, topPorts } from "../../src/scan/index.ts";

describe("ports", () => {
  test("22,80,1-1000 is sorted and de-duplicated", () => {
    const ports = parsePorts("80,22,1-1000");
    expect(ports).toHaveLength(1000);
    expect(ports[0]).toBe(1);
    expect(ports[999]).toBe(1000);
  });

  test("-p- (1-65535) includes 65535 and stops there", () => {
    const all = parsePorts("1-65535");
    expect(all).toHaveLength(65535);
    expect(all[all.length - 1]).toBe(65535);
    expect(parsePorts("65535")).toEqual([65535]);
    expect(parsePorts("65530-")).toEqual([65530, 65531, 65532, 65533, 65534, 65535]);
  });

  test('"70000-80" is refused naming the item', () => {
    expect(() => parsePorts("22,70000-80")).toThrow('invalid port range "70000-80": ports are 1-65535');
  });

  test('"90-10" is refused as backwards', () => {
    expect(() => parsePorts("90-10")).toThrow('invalid port range "90-10"');
  });

  test("port 0, words and empty items are refused", () => {
    expect(() => parsePorts("0")).toThrow('"0"');
    expect(() => parsePorts("http")).toThrow('"http"');
    expect(() => parsePorts("22,,80")).toThrow("empty item");
  });

  test("the ranked list holds every port exactly once, most common first", () => {
    expect(RANKED_PORTS).toHaveLength(65535);
    expect(new Set(RANKED_PORTS).size).toBe(65535);
    expect(topPorts(3)).toEqual([80, 443, 22]);
  });

  test("-F is the top 100 and --top-ports N the top N, sorted for scanning", () => {
    const fast = choosePorts({ fast: true });
    expect(fast).toHaveLength(100);
    expect(fast).toContain(22);
    expect(choosePorts({ topPorts: 1000 })).toHaveLength(1000);
    expect(choosePorts({})).toHaveLength(1000);
    expect(choosePorts({ topPorts: 65535 })).toHaveLength(65535);
  });

  test("choosing two port options at once is refused", () => {
    expect(() => choosePorts({ ports: "22", fast: true })).toThrow("choose one");
  });

  test("service names come from the project's table", () => {
    expect(serviceName(22)).toBe("ssh");
    expect(serviceName(443)).toBe("https");
    expect(serviceName(65000)).toBe("unknown");
  });
});

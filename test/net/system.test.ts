import { describe, expect, test } from "bun:test";
import { cachedArp, formatMac, interfaceMac, LINUX_NET_PATHS, loopbackInjectionAllowed, routeTo, snapshotNetSystem, type NetSystem } from "../../src/net/index.ts";

// Fixture files as Linux writes them (addresses in /proc/net/route are little-endian hex).
const files: Record<string, string> = {
  "/p/route": [
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
    "eth0\t00000000\t010012C6\t0003\t0\t0\t100\t00000000\t0\t0\t0",
    "eth0\t000012C6\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0",
    "veth1\t004012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
    "veth1\t804012C6\t00000000\t0001\t0\t0\t0\t80FFFFFF\t0\t0\t0",
    "down0\t000013C6\t00000000\t0000\t0\t0\t0\t0000FFFF\t0\t0\t0",
  ].join("\n"),
  "/p/ipv6_route": [
    "20010db8000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001   veth1",
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003    eth0",
  ].join("\n"),
  "/p/arp": [
    "IP address       HW type     Flags       HW address            Mask     Device",
    "198.18.0.1       0x1         0x2         02:00:00:00:00:01     *        eth0",
    "198.18.64.9      0x1         0x0         00:00:00:00:00:00     *        veth1",
  ].join("\n"),
  "/s/eth0/address": "02:00:00:00:00:aa\n",
  "/s/lo/address": "00:00:00:00:00:00\n",
  "/c/lo/route_localnet": "1\n",
  "/c/lo/accept_local": "0\n",
};

const sys: NetSystem = {
  paths: { route: "/p/route", ipv6Route: "/p/ipv6_route", arp: "/p/arp", sysClassNet: "/s", ipv4Conf: "/c" },
  addresses: () => ({
    lo: [{ address: "127.0.0.1", family: 4, prefix: 8 }],
    eth0: [{ address: "198.18.0.5", family: 4, prefix: 24 }, { address: "fe80::5", family: 6, prefix: 64 }, { address: "2001:db8:1::5", family: 6, prefix: 64 }],
    veth1: [{ address: "198.18.64.1", family: 4, prefix: 24 }, { address: "2001:db8::1", family: 6, prefix: 64 }],
  }),
  read: (path) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT ${path}`);
    return text;
  },
};

describe("routes, interfaces and neighbours from /proc and /sys", () => {
  test("an off-link target goes through the default gateway with the interface's address", () => {
    expect(routeTo("192.0.2.7", sys)).toEqual({ iface: "eth0", source: "198.18.0.5", nextHop: "198.18.0.1", gateway: "198.18.0.1", loopback: false });
  });

  test("the longest matching prefix wins and on-link targets are their own next hop", () => {
    expect(routeTo("198.18.64.200", sys)).toMatchObject({ iface: "veth1", source: "198.18.64.1", nextHop: "198.18.64.200", gateway: null });
  });

  test("routes that are not up are ignored", () => {
    expect(routeTo("198.19.0.1", sys)?.iface).toBe("eth0");
  });

  test("IPv6 targets use the v6 table and skip link-local sources", () => {
    expect(routeTo("2001:db8::10", sys)).toMatchObject({ iface: "veth1", source: "2001:db8::1", nextHop: "2001:db8::10" });
    expect(routeTo("2001:db8:ffff::1", sys)).toMatchObject({ iface: "eth0", source: "2001:db8:1::5", gateway: "fe80::1" });
  });

  test("loopback and own addresses go through lo", () => {
    expect(routeTo("127.0.0.1", sys)).toMatchObject({ iface: "lo", source: "127.0.0.1", loopback: true });
    expect(routeTo("198.18.64.1", sys)).toMatchObject({ iface: "lo", source: "198.18.64.1", loopback: true });
  });

  test("a target with no matching route has none", () => {
    const noDefault: NetSystem = { ...sys, read: (p) => (p === "/p/ipv6_route" ? files[p]!.split("\n")[0]! : sys.read!(p)) };
    expect(routeTo("2001:db9::1", noDefault)).toBeNull();
    expect(routeTo("2001:db8::10", noDefault)?.iface).toBe("veth1");
    expect(routeTo("not-an-ip", sys)).toBeNull();
  });

  test("only complete ARP cache entries on the same device count", () => {
    expect(formatMac(cachedArp("198.18.0.1", "eth0", sys)!)).toBe("02:00:00:00:00:01");
    expect(cachedArp("198.18.0.1", "veth1", sys)).toBeNull();
    expect(cachedArp("198.18.64.9", "veth1", sys)).toBeNull();
  });

  test("interface MACs come from /sys, zeros when unknown", () => {
    expect(formatMac(interfaceMac("eth0", sys))).toBe("02:00:00:00:00:aa");
    expect(formatMac(interfaceMac("nope", sys))).toBe("00:00:00:00:00:00");
  });

  test("loopback injection needs both route_localnet and accept_local", () => {
    expect(loopbackInjectionAllowed(sys)).toBe(false);
    files["/c/lo/accept_local"] = "1\n";
    try {
      expect(loopbackInjectionAllowed(sys)).toBe(true);
    } finally {
      files["/c/lo/accept_local"] = "0\n";
    }
  });
});

describe("snapshotNetSystem", () => {
  test("reads each file and the address list once, however many hosts are prepared", () => {
    const reads: string[] = [];
    let addressCalls = 0;
    const sys = snapshotNetSystem({
      paths: LINUX_NET_PATHS,
      addresses: () => (addressCalls++, { eth0: [{ address: "198.18.0.1", family: 4, prefix: 24 }] }),
      read: (path) => (reads.push(path), path === LINUX_NET_PATHS.route ? "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF" : ""),
    });
    for (let i = 2; i < 50; i++) expect(routeTo(`198.18.0.${i}`, sys)?.iface).toBe("eth0");
    expect(reads.filter((p) => p === LINUX_NET_PATHS.route)).toHaveLength(1);
    expect(new Set(reads).size).toBe(reads.length);
    expect(addressCalls).toBe(1);
  });
});

import { describe, expect, test } from "bun:test";
import { usageErrorOf } from "../usage-error.ts";
import {
  type Resolver,
  TargetSet,
  checkScanSize,
  formatIPv6,
  parseIPv4,
  parseIPv6,
  parseTarget,
  planTargets,
  resolveTargets,
  targetsInText,
  settleExcludes,
  splitTargetList,
} from "../../src/scan/index.ts";

function addresses(include: string[], exclude: string[] = []): string[] {
  const plan = planTargets(include, exclude);
  const blocks = (items: typeof plan.include) => items.flatMap((t) => (t.kind === "block" ? [t.block] : []));
  return [...new TargetSet(blocks(plan.include), blocks(plan.exclude))];
}


describe("targets", () => {
  test("an IPv4 literal is one address", () => {
    expect(addresses(["198.18.0.7"])).toEqual(["198.18.0.7"]);
  });

  test("a last-octet range 198.18.0.1-20 covers 20 addresses in order", () => {
    const a = addresses(["198.18.0.1-20"]);
    expect(a).toHaveLength(20);
    expect(a[0]).toBe("198.18.0.1");
    expect(a[19]).toBe("198.18.0.20");
  });

  test("a full-address range may cross octets", () => {
    expect(addresses(["198.18.0.254-198.18.1.1"])).toEqual(["198.18.0.254", "198.18.0.255", "198.18.1.0", "198.18.1.1"]);
  });

  test("CIDR /30 covers four addresses from the network address", () => {
    expect(addresses(["198.18.0.5/30"])).toEqual(["198.18.0.4", "198.18.0.5", "198.18.0.6", "198.18.0.7"]);
  });

  test("IPv6 literals, CIDR and ranges", () => {
    expect(addresses(["2001:db8::1"])).toEqual(["2001:db8::1"]);
    expect(addresses(["2001:db8::/126"])).toEqual(["2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3"]);
    expect(addresses(["2001:db8::1-3"])).toEqual(["2001:db8::1", "2001:db8::2", "2001:db8::3"]);
  });

  test("IPv6 text round-trips in RFC 5952 form", () => {
    expect(formatIPv6(parseIPv6("2001:0DB8:0:0:0:0:0:0001")!)).toBe("2001:db8::1");
    expect(formatIPv6(parseIPv6("::1")!)).toBe("::1");
    expect(formatIPv6(parseIPv6("::ffff:198.18.0.1")!)).toBe("::ffff:c612:1");
    expect(parseIPv6("1::2::3")).toBeNull();
    expect(parseIPv4("01.2.3.4")).toBeNull();
  });

  test("overlapping targets are scanned once", () => {
    expect(addresses(["198.18.0.1-4", "198.18.0.3-6", "198.18.0.2"])).toHaveLength(6);
  });

  test("excludes win over targets, also inside ranges and across families", () => {
    expect(addresses(["198.18.0.0/29"], ["198.18.0.2-5"])).toEqual(["198.18.0.0", "198.18.0.1", "198.18.0.6", "198.18.0.7"]);
    expect(addresses(["198.18.0.1"], ["198.18.0.0/24"])).toEqual([]);
    expect(addresses(["2001:db8::1-2", "198.18.0.1"], ["2001:db8::2"])).toEqual(["198.18.0.1", "2001:db8::1"]);
  });

  test("a single address is read as nmap reads it: 127.1, 127.0.1, 2130706433, 0x7f000001, 0177.1 are 127.0.0.1", () => {
    for (const spelled of ["127.1", "127.0.1", "2130706433", "0x7f000001", "0X7F.1", "0177.1", "127.0.0.0x1"]) {
      expect(addresses([spelled])).toEqual(["127.0.0.1"]);
    }
    expect(addresses(["10.1"])).toEqual(["10.0.0.1"]);
    expect(addresses(["127.65536"])).toEqual(["127.1.0.0"]);
    expect(addresses(["4294967295"])).toEqual(["255.255.255.255"]);
    // Hex or octal anywhere makes it inet_aton's: 010 is octal there.
    expect(addresses(["0x7f.0.0.010"])).toEqual(["127.0.0.8"]);
    expect(addresses(["127.1"], ["2130706433"])).toEqual([]);
  });

  test("four decimal octets stay decimal with leading zeros, as nmap's octet parser reads them: 0177.0.0.1 is 177.0.0.1", () => {
    expect(addresses(["0177.0.0.1"])).toEqual(["177.0.0.1"]);
    expect(addresses(["127.000.0.010"])).toEqual(["127.0.0.10"]);
    // Past 255 in decimal, nmap hands it to inet_aton, where 0377 is octal 255.
    expect(addresses(["0377.0377.0377.0377"])).toEqual(["255.255.255.255"]);
  });

  test("what nmap does not read as an address is refused naming it: 127.0.0.256, 4294967296, 08.1, 127.1., 1.2.3.4.5", () => {
    expect(usageErrorOf(() => parseTarget("127.0.0.256"))).toBe('invalid IPv4 address "127.0.0.256": octets are 0-255, four of them');
    expect(usageErrorOf(() => parseTarget("4294967296"))).toBe('invalid IPv4 address "4294967296": a 32-bit address is at most 4294967295');
    for (const bad of ["08.1", "127.1.", "1.2.3.4.5", "1.2.65536", "127..1"]) {
      expect(usageErrorOf(() => parseTarget(bad))).toStartWith(`invalid IPv4 address "${bad}"`);
    }
  });

  test("a CIDR block's address is spelled as nmap takes one alone; a range's ends are four decimal octets", () => {
    expect(addresses(["127.1/31"])).toEqual(["127.0.0.0", "127.0.0.1"]);
    expect(addresses(["127.0.0.01-3"])).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3"]);
    expect(addresses(["127.0.0.1-003"])).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3"]);
    expect(usageErrorOf(() => parseTarget("127.1-5"))).toBe('invalid address range "127.1-5": expected START-END, e.g. 198.18.0.1-20');
  });

  test("an address nmap takes for a host name names its host in reports, as nmap's \"127.1 (127.0.0.1)\"", async () => {
    const resolved: [string, string][] = [];
    const onResolved = (name: string, address: string) => void resolved.push([name, address]);
    const plan = planTargets(["127.1", "127.0.0.2", "0177.0.0.1"], []);
    await resolveTargets(plan, { resolver: async () => [], family: 4, onUnresolved: () => {}, onResolved });
    expect(resolved).toEqual([["127.1", "127.0.0.1"]]);
  });

  test('a bad octet exits 2 naming "300.1.1.1"', () => {
    expect(usageErrorOf(() => parseTarget("300.1.1.1"))).toContain('"300.1.1.1"');
  });

  test('a CIDR prefix over 32 names "/33"', () => {
    expect(usageErrorOf(() => parseTarget("198.18.0.0/33"))).toBe('invalid CIDR prefix "/33": IPv4 prefixes are 0-32');
    expect(usageErrorOf(() => parseTarget("2001:db8::/129"))).toContain('"/129"');
  });

  test("a backwards range names itself", () => {
    expect(usageErrorOf(() => parseTarget("198.18.0.20-1"))).toContain('"198.18.0.20-1"');
  });

  test("a range without an end names the whole range", () => {
    expect(usageErrorOf(() => parseTarget("198.18.0.1-"))).toContain('"198.18.0.1-"');
    expect(usageErrorOf(() => parseTarget("198.18.0.300-5"))).toContain('"198.18.0.300"');
  });

  test("an IPv6 zone id (fe80::1%lo) is refused saying so; [::1] is refused, as nmap refuses it", () => {
    expect(usageErrorOf(() => parseTarget("fe80::1%lo"))).toBe('invalid IPv6 address "fe80::1%lo": zone ids (%lo) are not supported');
    expect(usageErrorOf(() => parseTarget("[::1]"))).toBe('invalid IPv6 address "[::1]": not an IPv6 address');
  });

  test("garbage is neither an address nor a host name", () => {
    expect(usageErrorOf(() => parseTarget("bad host!"))).toContain('"bad host!"');
  });

  test("host names parse as names to resolve later", () => {
    expect(parseTarget("localhost")).toEqual({ kind: "name", name: "localhost" });
    expect(parseTarget("scan-me.example.")).toEqual({ kind: "name", name: "scan-me.example" });
  });

  test("a name with a CIDR prefix stands for the block around its first address, as nmap's localhost/31", async () => {
    const resolver: Resolver = async (name, family) => (family === 4 ? ["127.0.0.1", "127.0.0.9"] : ["::1"]);
    const resolved: [string, string][] = [];
    const opts = { resolver, onUnresolved: () => {}, onResolved: (n: string, a: string) => void resolved.push([n, a]) };
    expect(parseTarget("localhost/31")).toEqual({ kind: "name", name: "localhost", prefix: 31 });
    expect(planTargets(["localhost/30"], []).estimatedCount).toBe(4n);
    expect([...(await resolveTargets(planTargets(["localhost/31"], []), { ...opts, family: 4 }))]).toEqual(["127.0.0.0", "127.0.0.1"]);
    expect([...(await resolveTargets(planTargets(["localhost/127"], [], 6), { ...opts, family: 6 }))]).toEqual(["::", "::1"]);
    // Only the address the name stands for is named by it.
    expect(resolved).toEqual([
      ["localhost", "127.0.0.1"],
      ["localhost", "::1"],
    ]);
    expect(usageErrorOf(() => planTargets(["localhost/33"], []))).toBe('invalid target "localhost/33": IPv4 prefixes are 0-32 (0-128 with -6)');
    expect(usageErrorOf(() => parseTarget("localhost/129"))).toBe('invalid CIDR prefix "/129": prefixes are 0-32, or 0-128 with -6');
  });

  test("an excluded name with a CIDR prefix excludes the block around each of its addresses", async () => {
    const resolver: Resolver = async (_name, family) => (family === 4 ? ["127.0.0.1", "127.0.0.9"] : []);
    const set = await resolveTargets(planTargets(["127.0.0.0/28"], ["two.test/31"]), { resolver, family: 4, onUnresolved: () => {} });
    expect([...set]).toEqual(addresses(["127.0.0.2-7", "127.0.0.10-15"]));
  });

  test("more than 2^24 targets needs --confirm-large-scan", () => {
    const big = planTargets(["10.0.0.0/7"], []);
    expect(usageErrorOf(() => checkScanSize(big, false))).toContain("--confirm-large-scan");
    expect(() => checkScanSize(big, true)).not.toThrow();
    expect(() => checkScanSize(planTargets(["10.0.0.0/8"], []), false)).not.toThrow();
    // an exclude that brings it under the line is enough
    expect(() => checkScanSize(planTargets(["10.0.0.0/7"], ["11.0.0.0/8"]), false)).not.toThrow();
  });

  test("nmap's octet notation lists what nmap -sL lists: 127.0.0.1,2  127.0.0-1.1  127.0.0.1-3,5  127.0.0.*", () => {
    expect(addresses(["127.0.0.1,2"])).toEqual(["127.0.0.1", "127.0.0.2"]);
    expect(addresses(["127.0.0-1.1"])).toEqual(["127.0.0.1", "127.0.1.1"]);
    expect(addresses(["127.0.0.1-3,5"])).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.5"]);
    expect(addresses(["127.0.0.*"])).toHaveLength(256);
    expect(addresses(["127.0.0.250-"])).toHaveLength(6);
    expect(addresses(["127.0.0.-3"])).toEqual(["127.0.0.0", "127.0.0.1", "127.0.0.2", "127.0.0.3"]);
    expect(addresses(["127.0,0.0.2,1,1"])).toEqual(["127.0.0.1", "127.0.0.2"]);
    expect(addresses(["127.0.0.1-3,5"], ["127.0.0.2,5"])).toEqual(["127.0.0.1", "127.0.0.3"]);
  });

  test("octet notation reads each number whole, in decimal: 127.0.0.0001,2 is .1 and .2, 127.0.0.1234,5 is refused", () => {
    expect(addresses(["127.0.0.0001,2"])).toEqual(["127.0.0.1", "127.0.0.2"]);
    expect(addresses(["127.0.0.010,11"])).toEqual(["127.0.0.10", "127.0.0.11"]);
    expect(usageErrorOf(() => planTargets(["127.0.0.1234,5"], []))).toBe('invalid address range "127.0.0.1234,5": octets are 0-255');
    expect(usageErrorOf(() => planTargets(["127.0.0.100200,1"], []))).toContain("octets are 0-255");
  });

  test("octet notation names a bad octet, a backwards range and a spec too scattered for blocks", () => {
    expect(usageErrorOf(() => planTargets(["127.0.0.1,300"], []))).toBe('invalid address range "127.0.0.1,300": octets are 0-255');
    expect(usageErrorOf(() => planTargets(["127.0.5-1.1"], []))).toContain("the end comes before the start");
    expect(usageErrorOf(() => planTargets(["127.0.0.1,"], []))).toContain('cannot read octet "1,"');
    expect(usageErrorOf(() => planTargets(["*.*.*.1"], []))).toContain("write it as CIDR blocks");
  });

  test("a list splits at commas except inside octet notation", () => {
    expect(splitTargetList("127.0.0.1,2,127.0.0.9 ::1,localhost")).toEqual(["127.0.0.1,2", "127.0.0.9", "::1", "localhost"]);
    expect(targetsInText("127.0.0.1-3,5 # tail\r\n198.18.0.3,198.18.0.4\n", "hosts.txt")).toEqual([
      "127.0.0.1-3,5",
      "198.18.0.3",
      "198.18.0.4",
    ]);
  });

  test("a list splits at every comma between numbers that are not octet notation: 2130706433,2130706434 is two", () => {
    expect(splitTargetList("2130706433,2130706434 127.1,2")).toEqual(["2130706433", "2130706434", "127.1", "2"]);
    expect(addresses(["127.0.0.1-3"], splitTargetList("2130706433,2130706434"))).toEqual(["127.0.0.3"]);
  });

  test("-iL text: whitespace, commas and # comments", () => {
    expect(targetsInText("198.18.0.1 198.18.0.2\n# skip me\n198.18.0.3,198.18.0.4 # tail\r\n", "hosts.txt")).toEqual([
      "198.18.0.1",
      "198.18.0.2",
      "198.18.0.3",
      "198.18.0.4",
    ]);
  });

  test("names resolve through the injected resolver, first address of the family", async () => {
    const asked: string[] = [];
    const resolver: Resolver = async (name, family) => {
      asked.push(`${name}/${family}`);
      if (name === "two.test") return family === 4 ? ["198.18.0.9", "198.18.0.10"] : ["2001:db8::9"];
      throw new Error("ENOTFOUND");
    };
    const unresolved: string[] = [];
    const set = await resolveTargets(planTargets(["two.test", "gone.test", "198.18.0.1"], []), {
      resolver,
      family: 4,
      onUnresolved: (name) => unresolved.push(name),
    });
    expect([...set]).toEqual(["198.18.0.1", "198.18.0.9"]);
    expect(unresolved).toEqual(["gone.test"]);
    const v6 = await resolveTargets(planTargets(["two.test"], []), { resolver, family: 6, onUnresolved: () => {} });
    expect([...v6]).toEqual(["2001:db8::9"]);
  });

  test("a name without an address of the scan's family says whether it has the other one, and which flag to change", async () => {
    // As the CLI's resolver answers: an empty list for a name without addresses of the family asked.
    const resolver: Resolver = async (name, family) => {
      if (name === "localhost") return family === 4 ? ["127.0.0.1"] : [];
      if (name === "six.test") return family === 6 ? ["2001:db8::6"] : [];
      return [];
    };
    const why: [string, string][] = [];
    const onUnresolved = (name: string, reason: string) => void why.push([name, reason]);
    await resolveTargets(planTargets(["localhost", "gone.test"], []), { resolver, family: 6, onUnresolved });
    await resolveTargets(planTargets(["six.test"], []), { resolver, family: 4, onUnresolved });
    expect(why).toEqual([
      ["localhost", "it has no IPv6 address, only IPv4 127.0.0.1 (scan without -6)"],
      ["gone.test", "no such name"],
      ["six.test", "it has no IPv4 address, only IPv6 2001:db8::6 (scan with -6)"],
    ]);
  });

  test("-6 skips IPv4 targets with a warning naming each, as nmap does, and scans the IPv6 ones", async () => {
    const plan = planTargets(["127.0.0.1", "::1", "127.0.0.0/30", "127.0.0.1-3", "127.0.0.1,2", "127.1"], [], 6);
    expect(plan.estimatedCount).toBe(1n);
    const why: [string, string][] = [];
    const set = await resolveTargets(plan, {
      resolver: async () => [],
      family: 6,
      onUnresolved: (name, reason) => void why.push([name, reason]),
    });
    expect([...set]).toEqual(["::1"]);
    const reason = "it is IPv4, and -6 scans IPv6 addresses only (scan without -6)";
    expect(why).toEqual(["127.0.0.1", "127.0.0.0/30", "127.0.0.1-3", "127.0.0.1,2", "127.1"].map((t) => [t, reason]));
    // A big IPv4 block skipped under -6 does not count towards --confirm-large-scan.
    expect(() => checkScanSize(planTargets(["10.0.0.0/7", "::1"], [], 6), false)).not.toThrow();
  });

  test("each name that resolves is reported with the address it stands for, as the scan's events write it", async () => {
    const resolver: Resolver = async (name) => (name === "six.test" ? ["2001:db8:0:0::0009", "2001:db8::10"] : ["198.18.0.9"]);
    const resolved: [string, string][] = [];
    const onResolved = (name: string, address: string) => void resolved.push([name, address]);
    await resolveTargets(planTargets(["198.18.0.1", "nine.test"], []), { resolver, family: 4, onUnresolved: () => {}, onResolved });
    await resolveTargets(planTargets(["six.test"], []), { resolver, family: 6, onUnresolved: () => {}, onResolved });
    expect(resolved).toEqual([
      ["nine.test", "198.18.0.9"],
      ["six.test", "2001:db8::9"],
    ]);
  });

  test("an excluded name removes all its addresses; an unresolvable exclude stops the scan", async () => {
    const resolver: Resolver = async (name, family) => {
      if (name === "two.test") return family === 4 ? ["198.18.0.9", "198.18.0.10"] : [];
      throw new Error("ENOTFOUND");
    };
    const set = await resolveTargets(planTargets(["198.18.0.8-11"], ["two.test"]), { resolver, family: 4, onUnresolved: () => {} });
    expect([...set]).toEqual(["198.18.0.8", "198.18.0.11"]);
    await expect(
      resolveTargets(planTargets(["198.18.0.8"], ["gone.test"]), { resolver, family: 4, onUnresolved: () => {} }),
    ).rejects.toThrow('invalid exclude "gone.test"');
  });

  test("excluded names are settled into addresses before the scan; a plan without names is kept as is", async () => {
    const resolver: Resolver = async (name, family) => {
      if (name === "two.test") return family === 4 ? ["198.18.0.9"] : ["2001:db8::9"];
      throw new Error("ENOTFOUND");
    };
    const plan = planTargets(["198.18.0.8-11"], ["two.test", "198.18.0.10"]);
    const settled = await settleExcludes(plan, resolver);
    expect(settled.exclude.every((t) => t.kind === "block")).toBe(true);
    const set = await resolveTargets(settled, { resolver: async () => [], family: 4, onUnresolved: () => {} });
    expect([...set]).toEqual(["198.18.0.8", "198.18.0.11"]);
    const literal = planTargets(["198.18.0.8"], ["198.18.0.9"]);
    expect(await settleExcludes(literal, resolver)).toBe(literal);
    await expect(settleExcludes(planTargets(["198.18.0.8"], ["gone.test"]), resolver)).rejects.toThrow('invalid exclude "gone.test"');
  });
});

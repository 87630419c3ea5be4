import { describe, expect, test } from "bun:test";
import { RANKED_PORTS, choosePortLists, choosePorts, parsePorts, parsePrefixedPorts, serviceName, topPorts } from "../../src/scan/index.ts";

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

  test("port 0, unknown names, stray characters and empty items are refused naming the value", () => {
    expect(() => parsePorts("0")).toThrow('invalid port "0": prtip scans ports 1-65535 (port 0 is reserved and never listened on)');
    expect(() => parsePorts("0-5")).toThrow('invalid port range "0-5": prtip scans ports 1-65535');
    expect(() => parsePorts("htp")).toThrow('invalid port "htp": no service of that name in prtip\'s port names');
    expect(() => parsePorts("22,nosuchservice")).toThrow('"nosuchservice"');
    expect(() => parsePorts("22/tcp")).toThrow('invalid port "22/tcp": expected a number, a range like 1-1000, a list like 22,80, or a service name like http');
    expect(() => parsePorts("22,,80")).toThrow("empty item");
  });

  test("a service name stands for every port of that name, as nmap's -p http is 80 and 8008", () => {
    expect(parsePorts("http")).toEqual([80, 8008]);
    expect(parsePorts("ssh,http")).toEqual([22, 80, 8008]);
    expect(parsePorts("SSH,443")).toEqual([22, 443]);
    expect(parsePorts("netbios-*")).toEqual([137, 138, 139]);
    expect(parsePorts("imap?")).toEqual([220, 993]);
  });

  test("a name is looked up per protocol: syslog is 514/udp, shell 514/tcp", () => {
    const both = { tcp: true, udp: true };
    expect(choosePortLists({ ports: "syslog,ssh" }, both)).toEqual({ tcp: [22], udp: [22, 514], ignored: null, again: [] });
    expect(choosePortLists({ ports: "T:shell,U:syslog" }, both)).toEqual({ tcp: [514], udp: [514], ignored: null, again: [] });
    expect(() => choosePortLists({ ports: "syslog" }, { tcp: true, udp: false })).toThrow('invalid port list "syslog": it names no TCP ports (UDP ones are scanned with -sU)');
    expect(() => parsePrefixedPorts("T:syslog")).toThrow('invalid port "syslog": no TCP service of that name in prtip\'s port names');
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

  test("UDP ports take UDP's name where it differs from TCP's, and TCP's otherwise", () => {
    expect(serviceName(514)).toBe("shell");
    expect(serviceName(514, "Udp")).toBe("syslog");
    expect(serviceName(520, "Udp")).toBe("router");
    expect(serviceName(1900, "Udp")).toBe("ssdp");
    expect(serviceName(22, "Udp")).toBe("ssh");
    expect(serviceName(65000, "Udp")).toBe("unknown");
  });
});

describe("nmap's T: and U: port prefixes", () => {
  const both = { tcp: true, udp: true };
  const tcpOnly = { tcp: true, udp: false };
  const udpOnly = { tcp: false, udp: true };

  test("-p U:53,111,T:21-25,80 splits ports by protocol: a prefix holds until the next one", () => {
    expect(choosePortLists({ ports: "U:53,111,T:21-25,80" }, both)).toEqual({ tcp: [21, 22, 23, 24, 25, 80], udp: [53, 111], ignored: null, again: [] });
  });

  test("ports before any prefix go to both protocols when both are scanned", () => {
    expect(choosePortLists({ ports: "22,U:53" }, both)).toEqual({ tcp: [22], udp: [22, 53], ignored: null, again: [] });
    expect(choosePortLists({ ports: "53" }, both)).toEqual({ tcp: [53], udp: [53], ignored: null, again: [] });
  });

  test("a single-protocol scan leaves out the other prefix's ports and says so; with none left it is refused", () => {
    expect(choosePortLists({ ports: "U:53,T:80" }, tcpOnly)).toEqual({ tcp: [80], udp: [], ignored: "U", again: [] });
    expect(choosePortLists({ ports: "U:53,T:80" }, udpOnly)).toEqual({ tcp: [], udp: [53], ignored: "T", again: [] });
    expect(() => choosePortLists({ ports: "U:53" }, tcpOnly)).toThrow('invalid port list "U:53": it names no TCP ports');
    expect(() => choosePortLists({ ports: "T:80" }, udpOnly)).toThrow('invalid port list "T:80": it names no UDP ports');
  });

  test("-sU -F scans UDP's common services: NTP, SNMP, NetBIOS, IKE, syslog, RIP, MSSQL browser, NAT-T, mDNS, SSDP", () => {
    const udp = choosePortLists({ fast: true }, udpOnly).udp;
    expect(udp).toHaveLength(100);
    for (const port of [53, 67, 68, 69, 123, 137, 138, 161, 162, 500, 514, 520, 1434, 1900, 4500, 5353]) expect(udp).toContain(port);
    // TCP-only services stay out of UDP's fast list
    for (const port of [21, 22, 23, 25, 110, 143, 3306]) expect(udp).not.toContain(port);
  });

  test("--top-ports N and -F in a combined scan take each protocol's N from its own ranking", () => {
    const lists = choosePortLists({ topPorts: 10 }, both);
    expect(lists.tcp).toEqual(topPorts(10).sort((a, b) => a - b));
    expect(lists.udp).toEqual(topPorts(10, "Udp").sort((a, b) => a - b));
    expect(lists.udp).toContain(161);
    expect(lists.tcp).not.toContain(161);
    const fast = choosePortLists({ fast: true }, both);
    expect(fast.tcp).toHaveLength(100);
    expect(fast.udp).toHaveLength(100);
    expect(fast.udp).toContain(123);
    expect(fast.tcp).not.toContain(123);
  });

  test("the UDP ranking orders every port once, its ranked services first", () => {
    const all = topPorts(65535, "Udp");
    expect(all).toHaveLength(65535);
    expect(new Set(all).size).toBe(65535);
    expect(topPorts(3, "Udp")).toEqual([53, 161, 123]);
    expect(choosePortLists({}, udpOnly).udp).toHaveLength(1000);
  });

  test('bad prefixes and ports are refused naming the value: "U:", "X:80", "U:70000"', () => {
    expect(() => parsePrefixedPorts("U:")).toThrow('invalid port list "U:": no ports after U:');
    expect(() => parsePrefixedPorts("22,T:")).toThrow('invalid port list "22,T:": no ports after T:');
    expect(() => parsePrefixedPorts("X:80")).toThrow('invalid port protocol "X:80": expected T: (TCP) or U: (UDP) before the ports');
    expect(() => parsePrefixedPorts("U:70000")).toThrow('invalid port "70000": ports are 1-65535');
    expect(() => parsePrefixedPorts("U:53,,80")).toThrow("empty item");
  });

  test("parsePorts (the config file's check) takes every prefixed port", () => {
    expect(parsePorts("T:80,U:53,22")).toEqual([22, 53, 80]);
  });
});

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import { attachOutputs, escapeXml, portRanges } from "../../src/output/index.ts";
import { META, capture, replayScan } from "./fixtures.ts";

type RenderOptions = { cancel?: boolean; verbosity?: number; openOnly?: boolean; closedHost?: boolean; hostnames?: Map<string, string> };

function render(kind: "screen" | "normal" | "grepable" | "xml" | "json", opts: RenderOptions = {}) {
  const bus = new EventBus();
  const out = capture();
  attachOutputs(bus, { [kind]: out.sink }, { ...META, verbosity: opts.verbosity ?? 0, openOnly: opts.openOnly, hostnames: opts.hostnames });
  replayScan(bus, opts);
  return out.text();
}

describe("normal output", () => {
  test("one block per host: open ports listed, a big closed group summarised", () => {
    expect(render("screen")).toBe(
      [
        "Starting prtip 0.1.0 at 2026-11-29 19:29 UTC",
        "prtip scan report for 198.18.0.1",
        "Host is up (0.0003s latency).",
        "Not shown: 30 closed tcp ports (conn-refused)",
        "PORT   STATE    SERVICE",
        "22/tcp open     ssh",
        "25/tcp open     smtp",
        "33/tcp filtered unknown",
        "34/tcp filtered unknown",
        "35/tcp filtered unknown",
        "36/tcp filtered unknown",
        "37/tcp filtered time",
        "38/tcp filtered unknown",
        "39/tcp filtered unknown",
        "40/tcp filtered unknown",
        "",
        "prtip scan report for 2001:db8::5",
        "Host is up (0.0005s latency).",
        "Not shown: 39 closed tcp ports (conn-refused)",
        "PORT   STATE SERVICE",
        "22/tcp open  ssh",
        "",
        "prtip done: 2 IP addresses (2 hosts up) scanned in 1.09 seconds",
        "",
      ].join("\n"),
    );
  });

  test("-oN starts with the command line; -v streams discovered open ports", () => {
    expect(render("normal").split("\n")[0]).toBe(`# prtip 0.1.0 scan initiated Sun Nov 29 19:29:35 2026 as: ${META.commandLine}`);
    const verbose = render("screen", { verbosity: 1 });
    expect(verbose).toContain("Discovered open port 22/tcp on 198.18.0.1\n");
    expect(verbose.indexOf("Discovered open port")).toBeLessThan(verbose.indexOf("scan report"));
  });

  test("a cancelled scan says its results are partial", () => {
    expect(render("screen", { cancel: true })).toContain("prtip cancelled: interrupted by SIGINT; results above are partial");
  });
});

describe("--open", () => {
  test("normal: only hosts with open ports, and only their open ports; the rest is counted", () => {
    const all = render("screen", { closedHost: true });
    expect(all).toContain("prtip scan report for 198.18.0.9\n");
    const open = render("screen", { closedHost: true, openOnly: true });
    expect(open).not.toContain("198.18.0.9");
    expect(open).toContain(
      ["prtip scan report for 198.18.0.1", "Host is up (0.0003s latency).", "Not shown: 30 closed tcp ports (conn-refused), 8 filtered tcp ports (no-response)", "PORT   STATE SERVICE", "22/tcp open  ssh", "25/tcp open  smtp", ""].join("\n"),
    );
    expect(open).toContain("prtip done: 2 IP addresses (2 hosts up)");
  });

  test("grepable and XML list the open ports of the hosts that have some", () => {
    const grepable = render("grepable", { closedHost: true, openOnly: true });
    expect(grepable).not.toContain("198.18.0.9");
    expect(grepable).toContain("Host: 198.18.0.1 ()\tPorts: 22/open/tcp//ssh///, 25/open/tcp//smtp///\tIgnored State: closed (30)\n");
    const xml = render("xml", { closedHost: true, openOnly: true });
    expect(xml).not.toContain('addr="198.18.0.9"');
    expect(xml.match(/<port protocol=/g)?.length).toBe(3);
    expect(xml).toContain('<extraports state="filtered" count="8">');
  });
});

describe("grepable output", () => {
  test("nmap's Host: lines with ports and the ignored state", () => {
    const lines = render("grepable").split("\n");
    expect(lines[0]).toBe(`# prtip 0.1.0 scan initiated Sun Nov 29 19:29:35 2026 as: ${META.commandLine}`);
    expect(lines[1]).toBe("Host: 198.18.0.1 ()\tStatus: Up");
    expect(lines[2]).toStartWith("Host: 198.18.0.1 ()\tPorts: 22/open/tcp//ssh///, 25/open/tcp//smtp///, 33/filtered/tcp//unknown///");
    expect(lines[2]).toEndWith("\tIgnored State: closed (30)");
    expect(lines[4]).toBe("Host: 2001:db8::5 ()\tPorts: 22/open/tcp//ssh///\tIgnored State: closed (39)");
    expect(lines[5]).toStartWith("# prtip done at ");
    expect(lines[5]).toEndWith("-- 2 IP addresses (2 hosts up) scanned in 1.09 seconds");
  });
});

describe("hosts given by name", () => {
  const hostnames = new Map([["198.18.0.1", "gw.test"]]);

  test("normal output names the host and its address, as nmap's scan report does", () => {
    const text = render("normal", { hostnames });
    expect(text).toContain("\nprtip scan report for gw.test (198.18.0.1)\nHost is up");
    expect(text).toContain("\nprtip scan report for 2001:db8::5\n");
  });

  test("grepable output puts the name in the parentheses after the address", () => {
    const lines = render("grepable", { hostnames }).split("\n");
    expect(lines[1]).toBe("Host: 198.18.0.1 (gw.test)\tStatus: Up");
    expect(lines[2]).toStartWith("Host: 198.18.0.1 (gw.test)\tPorts: 22/open/tcp//ssh///");
    expect(lines[3]).toBe("Host: 2001:db8::5 ()\tStatus: Up");
  });
});

describe("header and footer dates", () => {
  // Dec 6: a one-digit day, which C's ctime (and so nmap) pads with a space.
  const at = Date.UTC(2026, 11, 6, 9, 51, 18);
  function renderAt(kind: "screen" | "normal" | "grepable" | "xml"): string[] {
    const bus = new EventBus();
    const out = capture();
    attachOutputs(bus, { [kind]: out.sink }, META);
    const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => at });
    bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 40 }));
    const done = { targets_scanned: 1, ports_scanned: 0, duration: 0.5, hosts_up: 0, open_ports: 0, closed_ports: 0, filtered_ports: 0, services_detected: 0 };
    bus.publish(f.make("ScanCompleted", done));
    return out.text().split("\n");
  }

  test("-oN and -oG write ctime's text, the day of month padded with a space, as nmap does", () => {
    const normal = renderAt("normal");
    expect(normal[0]).toBe(`# prtip 0.1.0 scan initiated Sun Dec  6 09:51:18 2026 as: ${META.commandLine}`);
    expect(normal.at(-2)).toStartWith("# prtip done at Sun Dec  6 09:51:18 2026 -- 1 IP address");
    const grepable = renderAt("grepable");
    expect(grepable[0]).toBe(`# prtip 0.1.0 scan initiated Sun Dec  6 09:51:18 2026 as: ${META.commandLine}`);
    expect(grepable.at(-2)).toStartWith("# prtip done at Sun Dec  6 09:51:18 2026 -- 1 IP address");
    expect(renderAt("xml").join("\n")).toContain('startstr="Sun Dec  6 09:51:18 2026"');
  });

  test("the terminal keeps nmap's short start time", () => {
    expect(renderAt("screen")[0]).toBe("Starting prtip 0.1.0 at 2026-12-06 09:51 UTC");
  });
});

describe("XML output", () => {
  const validate = (xml: string) => {
    const dir = mkdtempSync(join(tmpdir(), "prtip-xml-"));
    try {
      const file = join(dir, "scan.xml");
      writeFileSync(file, xml);
      return spawnSync("xmllint", ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", file], { encoding: "utf8" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test("validates against nmap.dtd", () => {
    const r = validate(render("xml"));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("a cancelled scan still validates and says it ended in error", () => {
    const xml = render("xml", { cancel: true });
    expect(validate(xml).status).toBe(0);
    expect(xml).toContain('exit="error"');
  });

  test("the DTD check is real: a broken document fails it", () => {
    expect(validate(render("xml").replace('<debugging level="0"/>', "")).status).not.toBe(0);
  });

  test("hosts carry addresses, extraports and ports", () => {
    const xml = render("xml");
    expect(xml).toContain('<address addr="2001:db8::5" addrtype="ipv6"/>');
    expect(xml).toContain('<extraports state="closed" count="30">');
    expect(xml).toContain('<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="0"/>');
    expect(xml).toContain('<hosts up="2" down="0" total="2"/>');
  });

  test("a host given by name has nmap's hostname of type user, and still validates", () => {
    const xml = render("xml", { hostnames: new Map([["198.18.0.1", "gw.test"]]) });
    expect(xml).toContain('<address addr="198.18.0.1" addrtype="ipv4"/>\n<hostnames>\n<hostname name="gw.test" type="user"/>\n</hostnames>\n');
    expect(xml).toContain('<address addr="2001:db8::5" addrtype="ipv6"/>\n<hostnames>\n</hostnames>\n');
    const r = validate(xml);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("attribute text is escaped", () => {
    expect(escapeXml(`a<b>&"c'`)).toBe("a&#60;b&#62;&#38;&#34;c&#39;");
    expect(portRanges([1, 2, 3, 5, 7, 8])).toBe("1-3,5,7-8");
  });
});

describe("JSON output", () => {
  test("open ports as event-contract lines, then ScanCompleted", () => {
    const lines = render("json").trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.event}:${l.target ?? ""}:${l.port ?? ""}`)).toEqual([
      "PortFound:198.18.0.1:22",
      "IPv6PortFound:2001:db8::5:22",
      "PortFound:198.18.0.1:25",
      "ScanCompleted::",
    ]);
    expect(Object.keys(lines[0])).toEqual(["event", "scan_id", "target", "port", "protocol", "state", "reason", "seq", "timestamp"]);
  });

  test("each line is written the moment its port is found", () => {
    const bus = new EventBus();
    const out = capture();
    attachOutputs(bus, { json: out.sink }, META);
    bus.publish({ event: "PortFound", scan_id: "x", target: "198.18.0.1", port: 22, protocol: "Tcp", state: "Open", reason: "connect", seq: 0, timestamp: 0 });
    expect(out.text().split("\n")).toHaveLength(2);
  });

  test("-v adds closed and filtered ports", () => {
    expect(render("json", { verbosity: 1 }).trimEnd().split("\n")).toHaveLength(81);
  });
});

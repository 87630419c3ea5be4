import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AnyEvent, EventBus, EventFactory, type PortFields } from "../../src/events/index.ts";
import { type OutputMeta, attachOutputs } from "../../src/output/index.ts";
import { META, T0, capture, replayScan } from "./fixtures.ts";

// The normal, grepable and XML layouts compared with nmap 7.93's on loopback
// (nmap -sT [--reason|-vv|-sV|-sn] -p … 127.0.0.1), byte for byte where prtip has the data.

type Kind = "screen" | "normal" | "grepable" | "xml";

interface Port {
  port: number;
  state: PortFields["state"];
  reason: PortFields["reason"];
  service?: { service: string; version: string | null; confidence: number };
}

/** One host's scan: `ports` on `host`, discovered (with latency) unless `pn`, then completed or cancelled. */
function scan(kind: Kind, meta: Partial<OutputMeta>, ports: Port[], opts: { host?: string; pn?: boolean; cancelAfterMs?: number; hosts?: string[] } = {}): string {
  const bus = new EventBus();
  const out = capture();
  attachOutputs(bus, { [kind]: out.sink }, { ...META, ...meta });
  let now = T0;
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => now });
  const pub = (e: AnyEvent) => bus.publish(e);
  const hosts = opts.hosts ?? [opts.host ?? "127.0.0.1"];
  pub(f.make("ScanStarted", { scan_type: "Connect", target_count: hosts.length, port_count: ports.length }));
  for (const ip of hosts) {
    if (!opts.pn) pub(f.make("HostDiscovered", { ip, method: "TCP", latency_ms: 0.26 }));
    for (const p of ports) {
      pub(f.portFound({ target: ip, port: p.port, protocol: "Tcp", state: p.state, reason: p.reason }));
      if (p.service) pub(f.make("ServiceDetected", { target: ip, port: p.port, ...p.service }));
    }
  }
  if (opts.cancelAfterMs !== undefined) {
    now = T0 + opts.cancelAfterMs;
    pub(f.make("ScanCancelled", { reason: "interrupted by SIGINT", partial_results: true }));
  } else {
    pub(
      f.make("ScanCompleted", {
        targets_scanned: hosts.length,
        ports_scanned: ports.length,
        duration: 0.02,
        hosts_up: hosts.length,
        open_ports: 1,
        closed_ports: 0,
        filtered_ports: 0,
        services_detected: 0,
      }),
    );
  }
  return out.text();
}

const CLOSED_22: Port = { port: 22, state: "Closed", reason: "rst" };
const CLOSED_80: Port = { port: 80, state: "Closed", reason: "rst" };
const OPEN_2024: Port = { port: 2024, state: "Open", reason: "connect" };
/** The report of the one host, between the scan report line and the footer. */
const body = (text: string) => text.slice(text.indexOf("prtip scan report"), text.indexOf("prtip done"));

describe("--reason and -vv", () => {
  test("--reason adds nmap's REASON column and says why the host is up (nmap -sT --reason -p 22,80,2024 127.0.0.1)", () => {
    expect(body(scan("screen", { reason: true }, [CLOSED_22, CLOSED_80, OPEN_2024]))).toBe(
      [
        "prtip scan report for 127.0.0.1",
        "Host is up, received localhost-response (0.0003s latency).",
        "",
        "PORT     STATE  SERVICE REASON",
        "22/tcp   closed ssh     conn-refused",
        "80/tcp   closed http    conn-refused",
        "2024/tcp open   unknown syn-ack",
        "",
        "",
      ].join("\n"),
    );
  });

  test("-vv shows the reasons without --reason, as nmap's -vv does", () => {
    const text = scan("screen", { verbosity: 2 }, [CLOSED_22]);
    expect(text).toContain("Host is up, received localhost-response (0.0003s latency).\n");
    expect(text).toContain("PORT   STATE  SERVICE REASON\n22/tcp closed ssh     conn-refused\n");
    expect(scan("screen", { verbosity: 1 }, [CLOSED_22])).not.toContain("REASON");
  });

  test("-oN gets the REASON column too; a host given as up (-Pn) was received user-set", () => {
    const text = scan("normal", { reason: true }, [CLOSED_22], { pn: true });
    expect(text).toContain("Host is up, received user-set.\n\nPORT   STATE  SERVICE REASON\n22/tcp closed ssh     conn-refused\n");
  });

  test("REASON comes before VERSION, each as wide as its longest cell (nmap -sT -sV --reason -p 22 127.0.0.1)", () => {
    expect(scan("screen", { reason: true, serviceScan: true }, [CLOSED_22])).toContain("PORT   STATE  SERVICE REASON       VERSION\n22/tcp closed ssh     conn-refused\n");
  });

  test("an address other than loopback is received by its discovery probe's answer", () => {
    expect(scan("screen", { reason: true }, [CLOSED_22], { host: "198.18.0.1" })).toContain("Host is up, received syn-ack (0.0003s latency).\n");
  });

  test("XML says why a loopback host is up as nmap does (localhost-response)", () => {
    expect(scan("xml", {}, [CLOSED_22])).toContain('<status state="up" reason="localhost-response" reason_ttl="0"/>');
    expect(scan("xml", {}, [CLOSED_22], { pn: true })).toContain('<status state="up" reason="user-set" reason_ttl="0"/>');
  });
});

describe("-sV service names and the VERSION column", () => {
  const silent: Port = { port: 9999, state: "Open", reason: "connect" };

  test("an open port -sV did not identify shows the table name with nmap's ? (9999/tcp open abyss?)", () => {
    const text = scan("screen", { serviceScan: true }, [CLOSED_22, silent]);
    expect(text).toContain("\nPORT     STATE  SERVICE VERSION\n22/tcp   closed ssh\n9999/tcp open   abyss?\n");
  });

  test("a name guessed from the port number alone is unconfirmed too; unknown never gets a ?", () => {
    const guessed: Port = { port: 8080, state: "Open", reason: "connect", service: { service: "HTTP", version: null, confidence: 10 } };
    const text = scan("screen", { serviceScan: true }, [guessed, OPEN_2024]);
    expect(text).toContain("8080/tcp open  http?\n");
    expect(text).toContain("2024/tcp open  unknown\n");
  });

  test("without -sV the table name has no ?", () => {
    expect(scan("screen", {}, [silent])).toContain("9999/tcp open  abyss\n");
  });

  test("grepable output carries the ? as nmap's does (9999/open/tcp//abyss?///)", () => {
    expect(scan("grepable", { serviceScan: true }, [CLOSED_22, silent])).toContain("Ports: 22/closed/tcp//ssh///, 9999/open/tcp//abyss?///\n");
  });

  test("XML names the table guess without the ?, method table, as nmap does", () => {
    const guessed: Port = { port: 8080, state: "Open", reason: "connect", service: { service: "HTTP", version: null, confidence: 10 } };
    const xml = scan("xml", { serviceScan: true }, [silent, guessed]);
    expect(xml).toContain('<service name="abyss" method="table" conf="3"/>');
    expect(xml).toContain('<service name="http" method="table" conf="3"/>');
  });

  test("the VERSION column is there whenever -sV ran, even when no row has a version", () => {
    expect(scan("screen", { serviceScan: true }, [CLOSED_22])).toContain("PORT   STATE  SERVICE VERSION\n22/tcp closed ssh\n");
  });
});

describe("blank lines and plurals as nmap lays them out", () => {
  const closed = (n: number): Port[] => Array.from({ length: n }, (_, i) => ({ port: i + 1, state: "Closed", reason: "rst" }));

  test("a blank line between Host is up and the PORT header when no Not shown line comes between", () => {
    expect(scan("screen", {}, [CLOSED_22, OPEN_2024])).toContain("Host is up (0.0003s latency).\n\nPORT     STATE  SERVICE\n");
  });

  test("no blank line after a Not shown line", () => {
    expect(scan("screen", {}, [...closed(26), OPEN_2024])).toContain("Not shown: 26 closed tcp ports (conn-refused)\nPORT     STATE SERVICE\n");
  });

  test("one summarised port is a port, not ports (nmap -sT -p 22,2024 --open 127.0.0.1)", () => {
    expect(scan("screen", { openOnly: true }, [CLOSED_22, OPEN_2024])).toContain("Not shown: 1 closed tcp port (conn-refused)\nPORT     STATE SERVICE\n");
  });

  test("-sn lists hosts without a blank line between them (nmap -sn 127.0.0.1-3)", () => {
    const text = scan("screen", {}, [], { hosts: ["127.0.0.1", "127.0.0.2"] });
    expect(text).toContain(
      "prtip scan report for 127.0.0.1\nHost is up (0.0003s latency).\nprtip scan report for 127.0.0.2\nHost is up (0.0003s latency).\nprtip done: 2 IP addresses",
    );
  });
});

describe("-q", () => {
  test("the terminal gets the results without the Starting header and the done footer", () => {
    const text = scan("screen", { quiet: true }, [OPEN_2024]);
    expect(text).toStartWith("prtip scan report for 127.0.0.1\n");
    expect(text).not.toContain("Starting prtip");
    expect(text).not.toContain("prtip done");
  });

  test("the -oN file keeps its header and footer", () => {
    const text = scan("normal", { quiet: true }, [OPEN_2024]);
    expect(text).toStartWith("# prtip 0.1.0 scan initiated ");
    expect(text).toContain("# prtip done at ");
  });
});

describe("a cancelled scan's trailers", () => {
  test("-oG says cancelled and gives the time from the start to the cancellation", () => {
    const text = scan("grepable", {}, [OPEN_2024], { cancelAfterMs: 3020 });
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "# prtip cancelled (interrupted by SIGINT) at Sun Nov 29 19:29:38 2026 -- 1 IP address (1 host up) scanned in 3.02 seconds",
    );
  });

  test("-oX has the elapsed time and a cancelled summary, and still validates against nmap.dtd", () => {
    const xml = scan("xml", {}, [OPEN_2024], { cancelAfterMs: 3020 });
    expect(xml).toContain('elapsed="3.02" exit="error" errormsg="interrupted by SIGINT"');
    expect(xml).toContain('summary="prtip cancelled (interrupted by SIGINT) at Sun Nov 29 19:29:38 2026; 1 IP address (1 host up) scanned in 3.02 seconds"');
    const dir = mkdtempSync(join(tmpdir(), "prtip-xml-"));
    try {
      writeFileSync(join(dir, "scan.xml"), xml);
      const r = spawnSync("xmllint", ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", join(dir, "scan.xml")], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the shared fixture's cancelled scan is no longer 0 or ? seconds", () => {
    const bus = new EventBus();
    const out = capture();
    attachOutputs(bus, { grepable: out.sink }, META);
    replayScan(bus, { cancel: true });
    expect(out.text()).toContain("scanned in 1.05 seconds\n");
  });
});

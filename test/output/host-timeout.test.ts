import { describe, expect, test } from "bun:test";
import { type AnyEvent, EventBus, EventFactory } from "../../src/events/index.ts";
import { attachOutputs } from "../../src/output/index.ts";
import { META, T0, capture } from "./fixtures.ts";

// A host given up on at --host-timeout, in each format as nmap 7.93 writes it
// (nmap -sT --max-rate 10 -p 1-100 --host-timeout 1s 127.0.0.1 -oX - -oG -).

type Kind = "screen" | "normal" | "grepable" | "xml" | "json";

/** 127.0.0.1 found up, two ports answered, then given up on; 127.0.0.2 scanned in full. */
function timedOutScan(kind: Kind): string {
  const bus = new EventBus();
  const out = capture();
  attachOutputs(bus, { [kind]: out.sink }, { ...META, commandLine: "prtip -sT -p 1-100 --host-timeout 1s 127.0.0.1-2" });
  let now = T0;
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => now });
  const pub = (e: AnyEvent) => bus.publish(e);
  pub(f.make("ScanStarted", { scan_type: "Connect", target_count: 2, port_count: 100 }));
  for (const ip of ["127.0.0.1", "127.0.0.2"]) pub(f.make("HostDiscovered", { ip, method: "TCP", latency_ms: 0.26 }));
  pub(f.portFound({ target: "127.0.0.1", port: 22, protocol: "Tcp", state: "Open", reason: "connect" }));
  pub(f.portFound({ target: "127.0.0.1", port: 23, protocol: "Tcp", state: "Closed", reason: "rst" }));
  pub(f.portFound({ target: "127.0.0.2", port: 80, protocol: "Tcp", state: "Open", reason: "connect" }));
  now += 1000;
  pub(f.make("WarningIssued", { message: "Skipping host 127.0.0.1 due to host timeout", severity: "medium", code: "host-timeout" }));
  pub(f.make("WarningIssued", { message: "some other warning", severity: "medium", code: "other" }));
  now += 100;
  pub(
    f.make("ScanCompleted", {
      targets_scanned: 2, ports_scanned: 3, duration: 1.1, hosts_up: 2, open_ports: 2, closed_ports: 1, filtered_ports: 0, services_detected: 0,
    }),
  );
  return out.text();
}

describe("a host given up on at --host-timeout", () => {
  test("the report prints nmap's Skipping line in place of its port table, and the next host as usual", () => {
    const text = timedOutScan("screen");
    expect(text).toContain(
      "prtip scan report for 127.0.0.1\nHost is up (0.0003s latency).\nSkipping host 127.0.0.1 due to host timeout\nprtip scan report for 127.0.0.2\n",
    );
    expect(text).not.toContain("22/tcp");
    expect(text).toContain("80/tcp open");
    expect(text).toContain("prtip done: 2 IP addresses (2 hosts up) scanned in 1.10 seconds\n");
  });

  test("-oN has the same lines", () => {
    expect(timedOutScan("normal")).toContain("Host is up (0.0003s latency).\nSkipping host 127.0.0.1 due to host timeout\n");
  });

  test("-oG has its Status: Up line, then Status: Timeout, and no Ports line", () => {
    const text = timedOutScan("grepable");
    expect(text).toContain("Host: 127.0.0.1 ()\tStatus: Up\nHost: 127.0.0.1 ()\tStatus: Timeout\nHost: 127.0.0.2 ()\tStatus: Up\n");
    expect(text).not.toContain("Host: 127.0.0.1 ()\tPorts:");
  });

  test("-oX marks the host timedout=\"true\" and gives it no <ports>", () => {
    const text = timedOutScan("xml");
    const host = /<host [^>]*>[\s\S]*?<\/host>/.exec(text)![0];
    expect(host).toContain('timedout="true"');
    expect(host).toContain('<address addr="127.0.0.1"');
    expect(host).not.toContain("<ports>");
    expect(text).toContain('<port protocol="tcp" portid="80">');
  });

  test("-oJ carries the host-timeout warning line, and no other warning", () => {
    const lines = timedOutScan("json").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.event === "WarningIssued").map((l) => l.code)).toEqual(["host-timeout"]);
  });
});

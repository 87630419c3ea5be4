// Raw host discovery (privileged, so the SYN technique's handles) against the
// namespaced lab: every lab host sits on the scanner's segment, so ARP and NDP
// decide. Runs dist/prtip inside the scanner namespace; needs root, iproute2,
// iptables and libpcap (all in .ci/run).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ensureBinary } from "../e2e/harness.ts";
import { expected, labUp, type Lab } from "./lab.ts";

const ABSENT = "198.18.0.200";

interface Event {
  event: string;
  ip?: string;
  method?: string;
  latency_ms?: number | null;
  target?: string;
  port?: number;
  state?: string;
  port_count?: number;
}

describe("raw host discovery in the lab", () => {
  let lab: Lab;
  beforeAll(() => {
    ensureBinary();
    lab = labUp();
  });
  afterAll(() => lab?.down());

  async function prtip(args: string[]): Promise<{ code: number; stdout: string }> {
    const child = Bun.spawn(["ip", "netns", "exec", lab.truth.scannerNs, ensureBinary(), "-T4", "--max-retries", "1", ...args], { stdout: "pipe", stderr: "pipe" });
    const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    return { code, stdout };
  }
  const events = (stdout: string) => stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Event);

  test("live hosts are up by ARP or NDP, the firewalled one too; an absent address is down and never port-scanned", async () => {
    const hosts = Object.keys(lab.truth.hosts);
    const { code, stdout } = await prtip(["-p", "22,135", "--event-log", "-", ...hosts, ABSENT]);
    expect(code).toBe(0);
    const log = events(stdout);
    const found = log.filter((e) => e.event === "HostDiscovered");
    const want = Object.fromEntries(hosts.map((h) => [h, h.includes(":") ? "NDP" : "ARP"]));
    expect(Object.fromEntries(found.map((e) => [e.ip, e.method]))).toEqual(want);
    for (const e of found) expect(e.latency_ms).toBeGreaterThan(0);
    const ports = log.filter((e) => e.event === "PortFound" || e.event === "IPv6PortFound");
    expect(ports.some((e) => e.target === ABSENT)).toBe(false);
    // Up hosts are port-scanned as the truth says, the host that drops all TCP included.
    const verdicts = ports.map((e) => `${e.target}:${e.port} ${e.state}`).sort();
    expect(verdicts).toEqual(hosts.flatMap((h) => [22, 135].map((p) => `${h}:${p} ${expected(lab.truth, h, p).state}`)).sort());
  });

  test("-sn reports the hosts that are up and scans no port", async () => {
    const { code, stdout } = await prtip(["-sn", "198.18.0.10", "198.18.0.11", ABSENT, "2001:db8::10"]);
    expect(code).toBe(0);
    const reports = [...stdout.matchAll(/scan report for (\S+)/g)].map((m) => m[1]).sort();
    expect(reports).toEqual(["198.18.0.10", "198.18.0.11", "2001:db8::10"]);
    expect(stdout).not.toMatch(/PORT|\/tcp/);
    expect(stdout).toContain("4 IP addresses (3 hosts up)");
  });
});

// The SYN technique against a real namespaced network. Needs root, iproute2,
// iptables and libpcap (all in .ci/run). Driven by scripts/syn-scan.ts, a
// minimal runner, until the scan engine is merged.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expected, interestingPorts, labUp, runSyn, scannerListeners, type Lab } from "./lab.ts";

const verdictLines = (rs: { target: string; port: number; state: string; reason: string }[]) =>
  rs.map((r) => `${r.target}:${r.port} ${r.state} ${r.reason}`).sort();

describe("SYN scan in the lab", () => {
  let lab: Lab;
  beforeAll(() => {
    lab = labUp();
  });
  afterAll(() => lab?.down());

  test("every state and reason matches the ground truth exactly, IPv4 and IPv6", async () => {
    const hosts = Object.keys(lab.truth.hosts);
    const ports = interestingPorts(lab.truth, [1, 2, 21, 23, 25, 110, 443, 1000, 1024, 65534]);
    const run = await runSyn(lab.truth, ["--targets", hosts.join(","), "--ports", ports.join(","), "--retries", "1", "--timeout", "300"]);
    const want = hosts.flatMap((h) => ports.map((p) => ({ target: h, port: p, ...expected(lab.truth, h, p) })));
    expect(verdictLines(run.results)).toEqual(verdictLines(want));
    expect(run.summary.spoofed).toBe(0);
    // pcap_stats arrive as metrics: every SYN counted, every reply captured.
    const metrics = run.summary.metrics as Record<string, number>;
    expect(metrics.packets_sent).toBe(Number(run.summary.sent));
    expect(metrics.packets_received).toBeGreaterThanOrEqual(Number(run.summary.replies));
    expect(metrics.packets_dropped).toBe(0);
  });

  test("the IPv6 host's open ports come with the SYN-ACK traits", async () => {
    const run = await runSyn(lab.truth, ["--targets", "2001:db8::10", "--ports", lab.truth.openPorts.join(","), "--retries", "1", "--timeout", "300"]);
    expect(run.results.map((r) => r.state)).toEqual(lab.truth.openPorts.map(() => "Open"));
    for (const r of run.results) {
      expect(r.synAck?.ttl).toBe(64);
      expect(r.synAck?.options[0]).toBe("MSS");
    }
  });

  test("all 65535 ports of one host: the open set is exactly the listeners", async () => {
    const run = await runSyn(lab.truth, ["--targets", "198.18.0.12", "--ports", "-", "--retries", "1", "--timeout", "300", "--only-open"]);
    expect(run.results.map((r) => r.port).sort((a, b) => a - b)).toEqual(lab.truth.openPorts.filter((p) => p !== 80));
    expect(run.summary.results).toBe(65535);
  });

  test("after dropping root to nobody the open handles still scan", async () => {
    const run = await runSyn(lab.truth, ["--targets", "198.18.0.10", "--ports", "22,23,135", "--retries", "1", "--timeout", "300", "--drop-privileges"]);
    expect(run.summary.user).toBe("nobody");
    expect(run.summary.euid).toBe(65534);
    expect(verdictLines(run.results)).toEqual(["198.18.0.10:135 Filtered no-response", "198.18.0.10:22 Open syn-ack", "198.18.0.10:23 Closed rst"]);
  });

  test("127.0.0.1 and ::1 are scanned through pcap on lo", async () => {
    const stop = await scannerListeners(lab.truth, [8081]);
    try {
      const run = await runSyn(lab.truth, ["--targets", "127.0.0.1,::1", "--ports", "8081,8082", "--retries", "1", "--timeout", "300"]);
      expect(verdictLines(run.results)).toEqual(["127.0.0.1:8081 Open syn-ack", "127.0.0.1:8082 Closed rst", "::1:8081 Open syn-ack", "::1:8082 Closed rst"]);
    } finally {
      stop();
    }
  });
});

describe("SYN scan under 30% loss both ways", () => {
  let lab: Lab;
  beforeAll(() => {
    lab = labUp({ loss: 0.3 });
  });
  afterAll(() => lab?.down());

  test("retries find every open port and invent none", async () => {
    const hosts = ["198.18.0.10", "2001:db8::10"];
    const ports = interestingPorts(lab.truth, Array.from({ length: 200 }, (_, i) => i + 1));
    // Each attempt fails with p = 1 - 0.7² ≈ 0.51; 16 attempts miss an open port with p ≈ 2e-5.
    const run = await runSyn(lab.truth, ["--targets", hosts.join(","), "--ports", ports.join(","), "--retries", "15", "--timeout", "200"]);
    const open = run.results.filter((r) => r.state === "Open").map((r) => `${r.target}:${r.port}`).sort();
    const want = hosts.flatMap((h) => ports.filter((p) => expected(lab.truth, h, p).state === "Open").map((p) => `${h}:${p}`)).sort();
    expect(open).toEqual(want);
    expect(run.results.length).toBe(hosts.length * ports.length);
    expect(Number(run.summary.retries)).toBeGreaterThan(0);
  });
});

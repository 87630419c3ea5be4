import { describe, expect, test } from "bun:test";
import { type Protocol } from "../../src/events/index.ts";
import { type DetectionContext, type Probe, type ServiceDetector, type Technique, type TechniqueContext, planTargets } from "../../src/scan/index.ts";
import { engineHarness } from "./helpers.ts";

// -sT -sU as the engine runs it: the UDP pass after the TCP one, in one scan.

/** Reports `open` ports open and the rest closed, over one protocol; a test may cancel mid-pass. */
class PassTechnique implements Technique {
  readonly seen: Probe[] = [];
  closed = false;
  constructor(
    readonly name: "connect" | "udp",
    private readonly open: readonly number[],
    private readonly onProbe: () => void = () => {},
  ) {}
  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    const protocol: Protocol = this.name === "udp" ? "Udp" : "Tcp";
    for (const p of probes) {
      await ctx.checkpoint();
      if (ctx.signal.aborted) return;
      this.seen.push(p);
      this.onProbe();
      const open = this.open.includes(p.port);
      const reason = open ? (protocol === "Tcp" ? "connect" : "udp-response") : protocol === "Tcp" ? "rst" : "icmp-unreach";
      ctx.result({ target: p.host, port: p.port, protocol, state: open ? "Open" : "Closed", reason, rttMs: 1 });
    }
  }
  close(): void {
    this.closed = true;
  }
}

/** Records the open ports it is handed. */
class RecordingDetector implements ServiceDetector {
  handed: string[] = [];
  async detect(open: readonly Probe[], ctx: DetectionContext): Promise<number> {
    this.handed.push(...open.map((p) => `${p.host}:${p.port}`));
    ctx.progress(open.length);
    return open.length;
  }
}

function combined(tcp: PassTechnique, udp: PassTechnique, detectors: { tcp?: ServiceDetector; udp?: ServiceDetector } = {}) {
  return engineHarness({
    targets: planTargets(["198.18.0.1-2"], []),
    ports: [22, 80],
    technique: tcp,
    udp: { technique: udp, ports: [53, 123, 161], detector: detectors.udp ?? null },
    detector: detectors.tcp ?? null,
  });
}

describe("a combined TCP and UDP scan in the engine", () => {
  test("is one scan: one ScanStarted counting both port lists, the stages once, one ScanCompleted with both protocols' totals", async () => {
    const tcp = new PassTechnique("connect", [80]);
    const udp = new PassTechnique("udp", [53]);
    const s = combined(tcp, udp);
    await s.engine.run();
    expect(s.of("ScanStarted")).toEqual([expect.objectContaining({ scan_type: "Connect", target_count: 2, port_count: 5 })]);
    expect(s.of("StageChanged").map((e) => e.to)).toEqual(["TargetResolution", "HostDiscovery", "PortScanning", "ServiceDetection", "Finalization"]);
    expect(s.of("ScanCompleted")).toEqual([
      expect.objectContaining({ ports_scanned: 10, open_ports: 4, closed_ports: 6, hosts_up: 2 }),
    ]);
    expect(tcp.closed && udp.closed).toBe(true);
  });

  test("UDP is probed after every TCP probe, each technique only with its own ports", async () => {
    const order: string[] = [];
    const tcp = new PassTechnique("connect", [], () => order.push("tcp"));
    const udp = new PassTechnique("udp", [], () => order.push("udp"));
    await combined(tcp, udp).engine.run();
    expect(order).toEqual([...Array(4).fill("tcp"), ...Array(6).fill("udp")]);
    expect(new Set(tcp.seen.map((p) => p.port))).toEqual(new Set([22, 80]));
    expect(new Set(udp.seen.map((p) => p.port))).toEqual(new Set([53, 123, 161]));
  });

  test("port results carry their protocol: TCP from the TCP pass, UDP from the UDP pass", async () => {
    const s = combined(new PassTechnique("connect", [80]), new PassTechnique("udp", [53]));
    await s.engine.run();
    const open = s.of("PortFound").filter((e) => e.state === "Open").map((e) => `${e.port}/${String(e.protocol)}`);
    expect(open.sort()).toEqual(["53/Udp", "53/Udp", "80/Tcp", "80/Tcp"]);
  });

  test("each pass's detector gets only its own open ports", async () => {
    const tcpDetector = new RecordingDetector();
    const udpDetector = new RecordingDetector();
    const s = combined(new PassTechnique("connect", [80]), new PassTechnique("udp", [53]), { tcp: tcpDetector, udp: udpDetector });
    await s.engine.run();
    expect(tcpDetector.handed.sort()).toEqual(["198.18.0.1:80", "198.18.0.2:80"]);
    expect(udpDetector.handed.sort()).toEqual(["198.18.0.1:53", "198.18.0.2:53"]);
    expect(s.of("ScanCompleted")[0]).toMatchObject({ services_detected: 4 });
  });

  test("progress over both passes never decreases nor passes 100", async () => {
    let s: ReturnType<typeof combined> | null = null;
    const tick = () => s!.tick();
    s = combined(new PassTechnique("connect", [80], tick), new PassTechnique("udp", [53], tick));
    await s.engine.run();
    const percents = s.of("ProgressUpdate").map((e) => e.percentage as number);
    expect(percents.length).toBeGreaterThan(10);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    expect(Math.max(...percents)).toBe(100);
    // The port scan stage counts both passes' probes in one total.
    const scanning = s.of("ProgressUpdate").filter((e) => e.stage === 3);
    expect(new Set(scanning.map((e) => e.total))).toEqual(new Set([10]));
  });

  test("a cancel during the TCP pass ends the scan: no UDP probe, ScanCancelled, both techniques closed", async () => {
    let s: ReturnType<typeof combined> | null = null;
    const tcp = new PassTechnique("connect", [80], () => s!.engine.cancel("interrupted by SIGINT"));
    const udp = new PassTechnique("udp", [53]);
    s = combined(tcp, udp);
    const outcome = await s.engine.run();
    expect(outcome.cancelled).toBe(true);
    expect(udp.seen).toEqual([]);
    expect(s.of("ScanCancelled")).toHaveLength(1);
    expect(s.of("ScanCompleted")).toHaveLength(0);
    expect(tcp.closed && udp.closed).toBe(true);
  });
});

import { describe, expect, test } from "bun:test";
import { type DetectionContext, type Probe, type ServiceDetector, type Technique, type TechniqueContext } from "../../src/scan/index.ts";
import { engineHarness } from "./helpers.ts";

// -sU -sV as nmap runs it: the version probes go to open|filtered UDP ports too,
// and one that answers is open.

/** -sU over fixed answers: `open` reply, `silent` stay open|filtered, the rest are refused. */
class FakeUdp implements Technique {
  readonly name = "udp" as const;
  constructor(
    private readonly open: readonly number[],
    private readonly silent: readonly number[],
  ) {}
  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    for (const p of probes) {
      const base = { target: p.host, port: p.port, protocol: "Udp" as const };
      if (this.open.includes(p.port)) ctx.result({ ...base, state: "Open", reason: "udp-response", rttMs: 1 });
      else if (this.silent.includes(p.port)) ctx.result({ ...base, state: "OpenFiltered", reason: "no-response", rttMs: null });
      else ctx.result({ ...base, state: "Closed", reason: "icmp-unreach", rttMs: 1 });
    }
  }
  close(): void {}
}

/** A TCP pass whose every port is open|filtered (as a FIN scan says): never a UDP port to promote. */
class FakeFin implements Technique {
  readonly name = "connect" as const;
  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    for (const p of probes) ctx.result({ target: p.host, port: p.port, protocol: "Tcp", state: "OpenFiltered", reason: "no-response", rttMs: null });
  }
  close(): void {}
}

/** -sV's stand-in: ports in `answering` answer (and are named DNS); records what it was handed. */
class FakeDetector implements ServiceDetector {
  handed: string[] = [];
  constructor(
    private readonly answering: readonly number[],
    /** Runs after each port, as the progress ticker would. */
    private readonly afterEach: () => void = () => {},
  ) {}
  async detect(ports: readonly Probe[], ctx: DetectionContext): Promise<number> {
    let services = 0;
    for (const [i, p] of ports.entries()) {
      this.handed.push(`${p.host}:${p.port}`);
      if (this.answering.includes(p.port)) {
        ctx.answered?.(p.host, p.port);
        ctx.bus.publish(ctx.factory.make("ServiceDetected", { target: p.host, port: p.port, service: "DNS", version: null, confidence: 90 }));
        services++;
      }
      ctx.progress(i + 1);
      this.afterEach();
    }
    return services;
  }
}

function udpScan(technique: Technique, detector: ServiceDetector | null, opts: { tcp?: { technique: Technique; detector: ServiceDetector | null } } = {}) {
  const ports = [53, 5300, 5301, 5302];
  const s = engineHarness({
    ports: opts.tcp ? [22] : ports,
    scanType: opts.tcp ? "Connect" : "Udp",
    technique: opts.tcp ? opts.tcp.technique : technique,
    udp: opts.tcp ? { technique, ports, detector } : undefined,
    detector: opts.tcp ? opts.tcp.detector : detector,
  });
  const states = (port: number) => s.of("PortFound").filter((e) => e.port === port).map((e) => `${String(e.state)}/${String(e.reason)}`);
  return { ...s, states };
}

describe("-sU -sV in the engine", () => {
  test("an open|filtered UDP port that answers a version probe becomes open with its service; one that stays silent stays open|filtered; ScanCompleted counts the final states", async () => {
    const detector = new FakeDetector([53, 5300]);
    const s = udpScan(new FakeUdp([53], [5300, 5301]), detector);
    await s.engine.run();
    expect(detector.handed.sort()).toEqual(["198.18.0.1:53", "198.18.0.1:5300", "198.18.0.1:5301"]);
    expect(s.states(5300)).toEqual(["OpenFiltered/no-response", "Open/udp-response"]);
    expect(s.states(5301)).toEqual(["OpenFiltered/no-response"]);
    // A port the scan already found open is not announced again.
    expect(s.states(53)).toEqual(["Open/udp-response"]);
    expect(s.states(5302)).toEqual(["Closed/icmp-unreach"]);
    // The new state is published before the service, so a report has the port open when the service arrives.
    const names = s.events.map((e) => (e.event === "PortFound" && e.port === 5300 ? `PortFound/${String(e.state)}` : e.event === "ServiceDetected" && e.port === 5300 ? "ServiceDetected" : null));
    expect(names.filter((n) => n !== null)).toEqual(["PortFound/OpenFiltered", "PortFound/Open", "ServiceDetected"]);
    expect(s.of("ScanCompleted")).toEqual([
      expect.objectContaining({ ports_scanned: 4, open_ports: 2, closed_ports: 1, filtered_ports: 1, services_detected: 2, hosts_up: 1 }),
    ]);
  });

  test("without -sV open|filtered ports stay open|filtered and nothing is probed twice", async () => {
    const s = udpScan(new FakeUdp([], [5300, 5301]), null);
    const outcome = await s.engine.run();
    expect(s.states(5300)).toEqual(["OpenFiltered/no-response"]);
    expect(outcome).toMatchObject({ open: 0, filtered: 2, closed: 2 });
  });

  test("the detection stage counts the open|filtered ports handed over; progress never decreases nor passes 100", async () => {
    let s: ReturnType<typeof udpScan> | null = null;
    s = udpScan(new FakeUdp([53], [5300, 5301]), new FakeDetector([5300], () => s!.tick()));
    await s.engine.run();
    const detection = s.of("ProgressUpdate").filter((e) => e.stage === 4);
    expect(detection.length).toBeGreaterThan(0);
    expect(new Set(detection.map((e) => e.total))).toEqual(new Set([3]));
    const percents = s.of("ProgressUpdate").map((e) => e.percentage as number);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    expect(Math.max(...percents)).toBe(100);
  });

  test("a TCP pass's open|filtered ports (FIN, NULL, Xmas) are not handed to its detector; the UDP pass's are", async () => {
    const tcpDetector = new FakeDetector([22]);
    const udpDetector = new FakeDetector([5300]);
    const s = udpScan(new FakeUdp([], [5300]), udpDetector, { tcp: { technique: new FakeFin(), detector: tcpDetector } });
    await s.engine.run();
    expect(tcpDetector.handed).toEqual([]);
    expect(udpDetector.handed).toEqual(["198.18.0.1:5300"]);
    expect(s.states(22)).toEqual(["OpenFiltered/no-response"]);
    expect(s.states(5300)).toEqual(["OpenFiltered/no-response", "Open/udp-response"]);
    expect(s.of("ScanCompleted")[0]).toMatchObject({ open_ports: 1, filtered_ports: 1 });
  });

  test("a detector that reports the same port twice promotes it once", async () => {
    const twice: ServiceDetector = {
      async detect(ports, ctx) {
        for (const p of ports) (ctx.answered?.(p.host, p.port), ctx.answered?.(p.host, p.port));
        return 0;
      },
    };
    const s = udpScan(new FakeUdp([], [5300]), twice);
    await s.engine.run();
    expect(s.states(5300)).toEqual(["OpenFiltered/no-response", "Open/udp-response"]);
    expect(s.of("ScanCompleted")[0]).toMatchObject({ open_ports: 1, filtered_ports: 0 });
  });
});

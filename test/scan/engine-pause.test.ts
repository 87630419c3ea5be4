import { describe, expect, test } from "bun:test";
import { EventFactory, type ScanType } from "../../src/events/index.ts";
import { ConnectTechnique, planTargets, type Technique, UdpTechnique } from "../../src/scan/index.ts";
import { SynTechnique } from "../../src/scan/syn/index.ts";
import { engineHarness } from "./helpers.ts";
import { FakeNet, fakeSystem } from "./syn/fake-net.ts";
import { VirtualTime } from "./virtual-time.ts";

// A pause stops every send, including those of workers already waiting for
// the rate cap when it began: the audit's connect workers whose token wait
// ended during a pause still sent, as the pause was checked before the wait.

const CAP = 100;
const PORTS = Array.from({ length: 300 }, (_, i) => i + 1);
const PAUSE_AT = 500;
const RESUME_AT = 3500;

/** A throttled scan paused at 0.5 s and resumed at 3.5 s of virtual time; `sends` are the times probes left. */
async function pausedScan(scanType: ScanType, target: string, make: (vt: VirtualTime, sends: number[]) => Technique) {
  const vt = new VirtualTime();
  const sends: number[] = [];
  const h = engineHarness(
    { targets: planTargets([target], []), ports: PORTS, scanType, technique: make(vt, sends), maxRate: CAP },
    { clock: vt, sleep: vt.sleep, ticker: vt.ticker, factory: new EventFactory("00000000-0000-4000-8000-000000000000", { now: vt.now }) },
  );
  void vt.sleep(PAUSE_AT).then(() => h.engine.pause());
  void vt.sleep(RESUME_AT).then(() => h.engine.resume());
  await vt.drive(h.engine.run());
  return { h, sends };
}

/** A connect scan whose every dial is refused at once, noting when each left. */
function refusingConnect(vt: VirtualTime, sends: number[]): ConnectTechnique {
  return new ConnectTechnique({
    concurrency: 256,
    minTimeoutMs: 100,
    maxTimeoutMs: 1000,
    clock: vt,
    dial: async () => {
      sends.push(vt.now());
      return "refused";
    },
  });
}

function expectNothingSentWhilePaused({ h, sends }: Awaited<ReturnType<typeof pausedScan>>) {
  // 300 probes at 100/s with hundreds of workers queued on the cap: their waits end all through the pause.
  expect(sends.filter((t) => t <= PAUSE_AT).length).toBeGreaterThanOrEqual(45);
  expect(sends.filter((t) => t > PAUSE_AT && t < RESUME_AT)).toEqual([]);
  expect(sends.length).toBe(PORTS.length);
  // After resume the held probes are paced again, not released at once: 100 ms at the cap is ~10 sends.
  expect(sends.filter((t) => t >= RESUME_AT && t < RESUME_AT + 100).length).toBeLessThanOrEqual(12);
  expect(h.of("PortFound")).toHaveLength(PORTS.length);
  // The paused time counts as neither sending nor throttling (pps is measured over the last 2 s).
  const during = h.of("ProgressUpdate").filter((e) => (e.timestamp as number) >= PAUSE_AT + 2500 && (e.timestamp as number) < RESUME_AT);
  expect(during.length).toBeGreaterThan(0);
  for (const e of during) expect(e.pps).toBe(0);
  for (const e of h.of("RateLimitTriggered")) expect(e.duration_ms as number).toBeLessThanOrEqual(1000);
}

describe("pause under --max-rate", () => {
  test("a connect scan sends nothing while paused, even from workers whose rate-cap wait ends during the pause", async () => {
    const run = await pausedScan(
      "Connect",
      "127.0.0.1",
      refusingConnect,
    );
    expectNothingSentWhilePaused(run);
  });

  test("a UDP scan sends nothing while paused, even from probes whose rate-cap wait ends during the pause", async () => {
    const run = await pausedScan(
      "Udp",
      "127.0.0.1",
      (vt, sends) =>
        new UdpTechnique({
          concurrency: 256,
          perHost: 256,
          exchange: async () => {
            sends.push(vt.now());
            return { kind: "refused", rttMs: 1 };
          },
          sleep: (ms) => vt.sleep(ms),
        }),
    );
    expectNothingSentWhilePaused(run);
  });

  test("a SYN scan sends nothing while paused, even the probe held for the rate cap when the pause began", async () => {
    const run = await pausedScan("Syn", "198.18.0.10", (vt, sends) => {
      const net = new FakeNet({ hosts: { "198.18.0.10": { 22: "open" } } });
      const send = net.send.bind(net);
      net.send = (frame) => {
        const before = net.syns.size;
        send(frame);
        if (net.syns.size > before) sends.push(vt.now());
      };
      return new SynTechnique({ openLink: () => net, net: fakeSystem, waiter: vt, secret: new Uint8Array(16).fill(7), sourcePorts: { first: 50000, count: 16 }, resolveWaitMs: 100 });
    });
    expectNothingSentWhilePaused(run);
  });
});

describe("pause without a rate cap", () => {
  /** An unthrottled connect scan of one worker; `dial` sees the engine and the clock. */
  function unthrottled(dial: (ctl: { pause(): void; advance(ms: number): void }) => Promise<"refused" | "timeout">, nextTurn?: (pause: () => void) => Promise<void>) {
    let now = 0;
    const dials: number[] = [];
    const ctl = { pause: () => h.engine.pause(), advance: (ms: number) => void (now += ms) };
    const technique = new ConnectTechnique({
      concurrency: 1,
      minTimeoutMs: 100,
      maxTimeoutMs: 1000,
      clock: { now: () => now },
      dial: (_host, port) => {
        dials.push(port);
        return dial(ctl);
      },
    });
    const h = engineHarness(
      { ports: [1, 2, 3], technique, maxRetries: 1 },
      { clock: { now: () => now }, ...(nextTurn ? { nextTurn: () => nextTurn(ctl.pause) } : {}) },
    );
    return { h, dials };
  }

  test("a pause during the checkpoint's turn of the event loop holds the next connect", async () => {
    let turns = 0;
    const { h, dials } = unthrottled(
      async (ctl) => {
        ctl.advance(25);
        return "refused";
      },
      async (pause) => {
        if (turns++ === 0) pause();
      },
    );
    const run = h.engine.run();
    await Bun.sleep(5);
    expect(dials).toEqual([1]);
    h.engine.resume();
    await run;
    expect(dials).toHaveLength(3);
  });

  test("a connect retry waits out a pause that began while its first attempt was connecting", async () => {
    let first = true;
    const { h, dials } = unthrottled(async (ctl) => {
      if (!first) return "refused";
      first = false;
      ctl.pause();
      return "timeout";
    });
    const run = h.engine.run();
    await Bun.sleep(5);
    expect(dials).toHaveLength(1);
    h.engine.resume();
    await run;
    expect(h.of("RetryScheduled")).toHaveLength(1);
    expect(h.of("PortFound")).toHaveLength(3);
  });
});

describe("published progress around a pause and a cancel", () => {
  const connect = refusingConnect;

  test("ProgressUpdate while paused: pps 0 and eta_seconds null from the pause on; after resume the ETA is not inflated by it", async () => {
    const { h } = await pausedScan("Connect", "127.0.0.1", connect);
    const updates = h.of("ProgressUpdate");
    const paused = updates.filter((e) => (e.timestamp as number) > PAUSE_AT && (e.timestamp as number) < RESUME_AT);
    expect(paused.length).toBeGreaterThan(5);
    for (const e of paused) {
      expect(e.pps).toBe(0);
      expect(e.eta_seconds).toBeNull();
    }
    // 300 probes at 100/s with 3 s paused: after resume about 2.5 s are left, never minutes.
    const after = updates.filter((e) => (e.timestamp as number) >= RESUME_AT && e.eta_seconds !== null && (e.timestamp as number) < RESUME_AT + 2000);
    expect(after.length).toBeGreaterThan(0);
    for (const e of after) expect(e.eta_seconds as number).toBeLessThan(6);
  });

  test("a cancelled scan enters no later stage, and its last ProgressUpdate says where it stopped with pps 0", async () => {
    const vt = new VirtualTime();
    const sends: number[] = [];
    const h = engineHarness(
      { targets: planTargets(["127.0.0.1"], []), ports: PORTS, scanType: "Connect", technique: connect(vt, sends), maxRate: CAP },
      { clock: vt, sleep: vt.sleep, ticker: vt.ticker, factory: new EventFactory("00000000-0000-4000-8000-000000000000", { now: vt.now }) },
    );
    void vt.sleep(1000).then(() => h.engine.cancel("interrupted by SIGINT"));
    await vt.drive(h.engine.run());
    expect(h.of("StageChanged").map((e) => e.to)).toEqual(["TargetResolution", "HostDiscovery", "PortScanning"]);
    const events = h.events.map((e) => e.event);
    expect(events.at(-1)).toBe("ScanCancelled");
    const last = h.of("ProgressUpdate").at(-1)!;
    expect(last.stage).toBe(3);
    expect(last.pps).toBe(0);
    expect(last.percentage as number).toBeLessThan(50); // ~100 of 300 ports, not 99%
    expect(last.percentage as number).toBeGreaterThan(20);
  });
});

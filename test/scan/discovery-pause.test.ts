import { describe, expect, test } from "bun:test";
import { EventFactory } from "../../src/events/index.ts";
import { ConnectDiscovery, ConnectTechnique, type HostDiscovery, planTargets } from "../../src/scan/index.ts";
import { RawDiscovery } from "../../src/scan/discover/index.ts";
import { FakeSegment, GATEWAY, segmentSystem } from "./discover/fake-segment.ts";
import { engineHarness } from "./helpers.ts";
import { VirtualTime } from "./virtual-time.ts";

// While a scan is paused no probe leaves, and host discovery is no exception:
// its retries (a connect's second knock, an unanswered echo/SYN/ACK round, the
// router's ARP request) each pass the engine's checkpoint first.

const PAUSE_AT = 100;
const RESUME_AT = 5000;
const SECRET = Uint8Array.from({ length: 16 }, (_, i) => i * 13 + 5);

interface Paused {
  /** Virtual times at which discovery probes left. */
  sends: number[];
  /** Pauses the engine now (for a pause that begins inside a send). */
  pause(): void;
}

/**
 * Discovery of `targets` in a real engine on virtual time (-T4: 500 ms
 * timeouts), paused at PAUSE_AT unless `timedPause` is false, resumed at
 * RESUME_AT. The port scan that follows counts nothing.
 */
async function pausedDiscovery(targets: string[], make: (vt: VirtualTime, run: Paused) => HostDiscovery, opts: { maxRate?: number; timedPause?: boolean } = {}) {
  const vt = new VirtualTime();
  const run: Paused = { sends: [], pause: () => h.engine.pause() };
  const technique = new ConnectTechnique({ concurrency: 4, minTimeoutMs: 100, maxTimeoutMs: 1000, clock: vt, dial: async () => "refused" });
  const h = engineHarness(
    { targets: planTargets(targets, []), ports: [22], technique, discovery: make(vt, run), maxRate: opts.maxRate ?? null },
    { clock: vt, sleep: vt.sleep, ticker: vt.ticker, factory: new EventFactory("00000000-0000-4000-8000-000000000000", { now: vt.now }) },
  );
  if (opts.timedPause !== false) void vt.sleep(PAUSE_AT).then(() => h.engine.pause());
  void vt.sleep(RESUME_AT).then(() => h.engine.resume());
  await vt.drive(h.engine.run());
  return { ...run, h, during: run.sends.filter((t) => t >= PAUSE_AT && t < RESUME_AT) };
}

/** Connect discovery whose knocks all time out after `timeoutMs` of virtual time. */
function silentConnects(vt: VirtualTime, run: Paused): HostDiscovery {
  return new ConnectDiscovery({
    concurrency: 8,
    clock: vt,
    dial: async (_host, _port, timeoutMs) => {
      run.sends.push(vt.now());
      await vt.sleep(timeoutMs);
      return "timeout";
    },
  });
}

/** Raw discovery on a segment whose router answers ARP unless `routerSilent`; the 198.19/16 hosts behind it never answer. */
function rawOnSegment(vt: VirtualTime, run: Paused, routerSilent = false, onSend?: (kind: string) => void): HostDiscovery {
  const net = new FakeSegment([], {}, routerSilent ? [GATEWAY] : []);
  const send = net.send.bind(net);
  net.send = (frame) => {
    const before = net.sent.length;
    send(frame);
    const s = net.sent[before];
    if (!s) return;
    run.sends.push(vt.now());
    onSend?.(s.kind);
  };
  return new RawDiscovery({ openLink: () => net, net: segmentSystem, waiter: vt, secret: SECRET });
}

describe("host discovery sends nothing while paused", () => {
  test("connect discovery: the second knock of a host whose first timed out during the pause waits for resume", async () => {
    const run = await pausedDiscovery(["198.18.0.1", "198.18.0.2"], silentConnects);
    expect(run.sends.filter((t) => t < PAUSE_AT)).toHaveLength(4);
    expect(run.during).toEqual([]);
    // 2 hosts × 2 ports × (first try + one retry), the retries after resume.
    expect(run.sends).toHaveLength(8);
    expect(run.sends.filter((t) => t >= RESUME_AT)).toHaveLength(4);
  });

  test("connect discovery under --max-rate: no knock leaves during the pause, retries included", async () => {
    const hosts = Array.from({ length: 10 }, (_, i) => `198.18.0.${i + 1}`);
    const run = await pausedDiscovery(hosts, silentConnects, { maxRate: 20 });
    expect(run.during).toEqual([]);
    expect(run.sends).toHaveLength(hosts.length * 2 * 2);
  });

  test("raw discovery: unanswered echo/SYN/ACK rounds are not resent during the pause", async () => {
    const hosts = ["198.19.0.5", "198.19.0.6"];
    const run = await pausedDiscovery(hosts, (vt, r) => rawOnSegment(vt, r));
    expect(run.during).toEqual([]);
    // The router's ARP, then 3 rounds of 3 frames per host.
    expect(run.sends).toHaveLength(1 + hosts.length * 3 * 3);
  });

  test("raw discovery under --max-rate: no frame leaves during the pause", async () => {
    const hosts = Array.from({ length: 8 }, (_, i) => `198.19.0.${i + 1}`);
    const run = await pausedDiscovery(hosts, (vt, r) => rawOnSegment(vt, r), { maxRate: 20 });
    expect(run.during).toEqual([]);
    expect(run.sends).toHaveLength(1 + hosts.length * 3 * 3);
  });

  test("raw discovery: the router's unanswered ARP requests are not repeated during the pause", async () => {
    const run = await pausedDiscovery(["198.19.0.5"], (vt, r) => rawOnSegment(vt, r, true));
    expect(run.sends.filter((t) => t < PAUSE_AT)).toEqual([0]);
    expect(run.during).toEqual([]);
    // 1 + min(--max-retries, 2) requests; no router, so nothing is sent to the host.
    expect(run.sends).toHaveLength(3);
  });

  test("raw discovery: a pause that begins while the router is being asked holds the first probes", async () => {
    let paused = false;
    const run = await pausedDiscovery(
      ["198.19.0.5"],
      (vt, r) =>
        rawOnSegment(vt, r, false, (kind) => {
          if (kind === "arp" && !paused) {
            paused = true;
            r.pause();
          }
        }),
      { timedPause: false },
    );
    // The ARP went out at 0, the pause began with it: the echo, SYN and ACK wait for RESUME_AT.
    expect(run.sends[0]).toBe(0);
    expect(run.sends.slice(1).every((t) => t >= RESUME_AT)).toBe(true);
    expect(run.sends).toHaveLength(1 + 3 * 3);
  });
});

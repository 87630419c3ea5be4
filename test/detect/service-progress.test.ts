import { describe, expect, test } from "bun:test";
import { ProbeServiceDetector } from "../../src/detect/index.ts";
import type { Connect } from "../../src/detect/index.ts";
import { EventBus, EventFactory } from "../../src/events/index.ts";

// Service detection's progress: the engine's stage 4 moves with the ports
// finished, and with the time waited against the detector's worst case.

const refused: Connect = async () => {
  throw new Error("connection refused");
};

describe("service detection progress", () => {
  test("every port counts when its detection is over, not only those a service was found on", async () => {
    const detector = new ProbeServiceDetector("Tcp", { connect: refused, intensity: 0 });
    const seen: number[] = [];
    const ports = [1, 2, 3].map((port) => ({ host: "127.0.0.1", port }));
    await detector.detect(ports, {
      signal: new AbortController().signal,
      bus: new EventBus(),
      factory: new EventFactory("00000000-0000-4000-8000-000000000000", { now: () => 0 }),
      progress: (done) => seen.push(done),
    });
    expect(seen.slice(0, 3)).toEqual([1, 2, 3]);
  });

  test("the expected time of silent ports is their probes' timeouts, in parallel up to the limits", () => {
    const detector = new ProbeServiceDetector("Tcp", { intensity: 7 });
    const six = [4001, 4002, 4003, 4004, 4005, 4006].map((port) => ({ host: "127.0.0.1", port }));
    // The audit's six silent ports took 12 s: 3 s first probe (beside the 2 s greeting wait), 2 more probes, the TLS try.
    expect(detector.expectedMs(six)).toBe(12_000);
    // 16 ports of one host: 8 at a time, two rounds.
    const sixteen = Array.from({ length: 16 }, (_, i) => ({ host: "127.0.0.1", port: 5000 + i }));
    expect(detector.expectedMs(sixteen)).toBe(24_000);
  });
});

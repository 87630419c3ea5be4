import { describe, expect, test } from "bun:test";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import { DetectionStage, type DetectionStageContext } from "../../src/scan/detection-stage.ts";
import type { DetectionContext, Probe, ScanPass, ServiceDetector, Technique } from "../../src/scan/index.ts";

// Stage 4 on its own: what each pass's detector is handed, and in which order.

const technique = { name: "connect" } as Technique;

/** Records the ports it is handed; answers (ctx.answered) on every port in `answering`, then reports each port done. */
class Recorder implements ServiceDetector {
  handed: string[] = [];
  constructor(private readonly answering: readonly number[] = []) {}
  async detect(ports: readonly Probe[], ctx: DetectionContext): Promise<number> {
    for (const [i, p] of ports.entries()) {
      this.handed.push(`${p.host}:${p.port}`);
      if (this.answering.includes(p.port)) ctx.answered?.(p.host, p.port);
      ctx.progress(i + 1);
    }
    return ports.length;
  }
}

function context(overrides: Partial<DetectionStageContext> = {}) {
  const progress: number[] = [];
  const opened: string[] = [];
  const ctx: DetectionStageContext = {
    signal: new AbortController().signal,
    deadline: null,
    bus: new EventBus({ history: 10 }),
    factory: new EventFactory("00000000-0000-4000-8000-000000000000", { now: () => 0 }),
    progress: (done) => progress.push(done),
    opened: (host, port) => opened.push(`${host}:${port}`),
    ...overrides,
  };
  return { ctx, progress, opened };
}

describe("DetectionStage", () => {
  test("a UDP pass's detector gets its open ports first, then its open|filtered ones, each in the order the scan found them", async () => {
    const detector = new Recorder();
    const passes: ScanPass[] = [{ technique, ports: [], detector }];
    const stage = new DetectionStage();
    const { open, silent } = stage.collect(0, true);
    silent!.set("198.18.0.1 5300", { host: "198.18.0.1", port: 5300 });
    open.push({ host: "198.18.0.1", port: 53 });
    silent!.set("198.18.0.1 5301", { host: "198.18.0.1", port: 5301 });
    open.push({ host: "198.18.0.2", port: 53 });
    const handed = stage.handOver(passes, undefined);
    expect(await stage.detect(passes, handed, context().ctx)).toBe(4);
    expect(detector.handed).toEqual(["198.18.0.1:53", "198.18.0.2:53", "198.18.0.1:5300", "198.18.0.1:5301"]);
  });

  test("the ports of hosts given up on are not handed over", () => {
    const passes: ScanPass[] = [{ technique, ports: [], detector: new Recorder() }];
    const stage = new DetectionStage();
    const { open, silent } = stage.collect(0, true);
    open.push({ host: "198.18.0.1", port: 53 }, { host: "198.18.0.2", port: 53 });
    silent!.set("198.18.0.2 5300", { host: "198.18.0.2", port: 5300 });
    expect(stage.handOver(passes, new Set(["198.18.0.2"]))).toEqual([[{ host: "198.18.0.1", port: 53 }]]);
  });

  test("a pass without a detector hands over nothing but its open ports, and a pass never scanned none", () => {
    const passes: ScanPass[] = [
      { technique, ports: [], detector: null },
      { technique, ports: [], detector: new Recorder() },
    ];
    const stage = new DetectionStage();
    const { open, silent } = stage.collect(0, false);
    open.push({ host: "198.18.0.1", port: 22 });
    expect(silent).toBeUndefined();
    expect(stage.handOver(passes, undefined)).toEqual([[{ host: "198.18.0.1", port: 22 }], []]);
  });

  test("progress counts on across passes: the second detector's ports come after the first's", async () => {
    const passes: ScanPass[] = [
      { technique, ports: [], detector: new Recorder() },
      { technique, ports: [], detector: new Recorder() },
    ];
    const stage = new DetectionStage();
    stage.collect(0, false).open.push({ host: "198.18.0.1", port: 22 }, { host: "198.18.0.1", port: 80 });
    stage.collect(1, true).open.push({ host: "198.18.0.1", port: 53 });
    const { ctx, progress } = context();
    await stage.detect(passes, stage.handOver(passes, undefined), ctx);
    expect(progress).toEqual([1, 2, 3]);
  });

  test("an open|filtered port that answers is opened once; an open port that answers is not opened again", async () => {
    const passes: ScanPass[] = [{ technique, ports: [], detector: new Recorder([53, 5300]) }];
    const stage = new DetectionStage();
    const { open, silent } = stage.collect(0, true);
    open.push({ host: "198.18.0.1", port: 53 });
    silent!.set("198.18.0.1 5300", { host: "198.18.0.1", port: 5300 });
    const { ctx, opened } = context();
    const handed = stage.handOver(passes, undefined);
    await stage.detect(passes, handed, ctx);
    await stage.detect(passes, handed, ctx);
    expect(opened).toEqual(["198.18.0.1:5300"]);
  });

  test("a cancelled scan hands nothing to its detectors", async () => {
    const detector = new Recorder();
    const passes: ScanPass[] = [{ technique, ports: [], detector }];
    const stage = new DetectionStage();
    stage.collect(0, false).open.push({ host: "198.18.0.1", port: 22 });
    const abort = new AbortController();
    abort.abort();
    expect(await stage.detect(passes, stage.handOver(passes, undefined), context({ signal: abort.signal }).ctx)).toBe(0);
    expect(detector.handed).toEqual([]);
  });
});

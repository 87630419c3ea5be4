// The dashboard findings of audit s9-ui (#4, #8, #10, #16, #17, #18), driven by events.
import { describe, expect, test } from "bun:test";
import { EventBus, EventFactory } from "../../../src/events/index.ts";
import { attachProgress } from "../../../src/progress/index.ts";
import type { ProgressIo } from "../../../src/progress/attach.ts";
import type { ScanControl } from "../../../src/scan/control.ts";
import { FakeOutput, FakeTime } from "../fakes.ts";
import { VirtualScreen } from "./virtual-screen.ts";

const ID = "1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a";

function live(opts: { columns?: number; rows?: number; keys?: boolean; serviceScan?: boolean; io?: Partial<ProgressIo> } = {}) {
  const time = new FakeTime();
  const bus = new EventBus();
  const out = new FakeOutput(true, opts.columns ?? 120, opts.rows ?? 30);
  const cancels: string[] = [];
  const control: ScanControl = { pause() {}, resume() {}, paused: false, cancel: (r) => void cancels.push(r) };
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  async function* keys(): AsyncIterable<string> {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      await new Promise<void>((r) => (wake = r));
    }
  }
  const handle = attachProgress(
    bus,
    { live: true, isTTY: true, noColor: true, serviceScan: opts.serviceScan },
    { out, clock: time, scheduler: time, control, keys: opts.keys === false ? undefined : keys(), ...opts.io },
  );
  const f = new EventFactory(ID, time);
  const type = async (k: string) => {
    queue.push(k);
    wake?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const screen = () => {
    const s = new VirtualScreen(out.columns, out.rows);
    s.feed(out.text());
    return s;
  };
  return { time, bus, out, f, handle, screen, type, cancels };
}

const open = (target: string, port: number) =>
  ({ target, port, protocol: "Tcp", state: "Open", reason: "syn-ack" }) as const;

describe("--live without a terminal on standard input (#4)", () => {
  test("says keys are off (only Ctrl-C) and leaves by itself when the scan ends", async () => {
    const d = live({ keys: false });
    d.bus.publish(d.f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 10 }));
    d.time.advance(1000);
    const footer = d.screen().lines().at(-1)!;
    expect(footer).toContain("Ctrl-C cancel");
    expect(footer).toContain("keys off: standard input is not a terminal");
    expect(footer).not.toContain("q cancel");
    let left = false;
    void d.handle.exited.then(() => (left = true));
    d.bus.publish(d.f.make("ScanCompleted", { duration: 1, hosts_up: 1, targets_scanned: 1 } as never));
    d.time.advance(1000);
    await Promise.resolve();
    expect(left).toBe(true);
    d.handle.close();
  });

  test("with keys, a finished scan still waits for q", async () => {
    const d = live();
    d.bus.publish(d.f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 10 }));
    d.bus.publish(d.f.make("ScanCompleted", { duration: 1, hosts_up: 1, targets_scanned: 1 } as never));
    d.time.advance(1000);
    let left = false;
    void d.handle.exited.then(() => (left = true));
    await Promise.resolve();
    expect(left).toBe(false);
    await d.type("q");
    expect(left).toBe(true);
    d.handle.close();
  });
});

describe("Ctrl-C and q (#17)", () => {
  test("Ctrl-C typed in raw mode cancels as the line modes' Ctrl-C does; q as the user's request", async () => {
    const a = live();
    a.bus.publish(a.f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 10 }));
    await a.type("\x03");
    expect(a.cancels).toEqual(["interrupted by SIGINT"]);
    a.handle.close();
    const b = live();
    b.bus.publish(b.f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 10 }));
    await b.type("q");
    expect(b.cancels).toEqual(["user_requested"]);
    b.handle.close();
  });
});

describe("open-ports table (#10)", () => {
  test("without -sV SERVICE is the port's name, as in the report; rows are in host then port order", () => {
    const d = live();
    d.bus.publish(d.f.make("ScanStarted", { scan_type: "Connect", target_count: 2, port_count: 100 }));
    for (const [t, p] of [["127.0.0.10", 80], ["127.0.0.2", 443], ["127.0.0.2", 22], ["127.0.0.10", 25]] as const) d.bus.publish(d.f.portFound(open(t, p)));
    d.time.advance(1000);
    const rows = d.screen().lines().filter((l) => / tcp +open/.test(l)).map((l) => l.trim().split(/ +/).slice(0, 5).join(" "));
    expect(rows).toEqual([
      "127.0.0.2 22 tcp open ssh",
      "127.0.0.2 443 tcp open https",
      "127.0.0.10 25 tcp open smtp",
      "127.0.0.10 80 tcp open http",
    ]);
    d.handle.close();
  });

  test("with -sV the service is in the report's case, versions are cut between words, banners show no \\r\\n", () => {
    const d = live({ serviceScan: true });
    d.bus.publish(d.f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 100 }));
    d.bus.publish(d.f.portFound(open("127.0.0.1", 8009)));
    d.bus.publish(d.f.portFound(open("127.0.0.1", 2024)));
    d.bus.publish(d.f.make("ServiceDetected", { target: "127.0.0.1", port: 8009, service: "HTTP", version: "SimpleHTTP/0.6 Python/3.11.7 extra words that go on and on", confidence: 90 }));
    d.bus.publish(d.f.make("BannerGrabbed", { target: "127.0.0.1", port: 8009, protocol: "Tcp", banner: "HTTP/1.0 200 OK\\r\\nServer: SimpleHTTP/0.6\\r\\n" }));
    d.bus.publish(d.f.make("ServiceDetected", { target: "127.0.0.1", port: 2024, service: "TCPWRAPPED", version: null, confidence: 50 }));
    d.time.advance(1000);
    const text = d.screen().text();
    expect(text).not.toMatch(/ open +HTTP /);
    expect(text).not.toContain("TCPWRAPPED");
    expect(text).not.toContain("\\r\\n");
    const http = d.screen().lines().find((l) => l.includes(" 8009 "))!;
    expect(http).toMatch(/ open +http +SimpleHTTP 0\.6 .*…/);
    expect(http).toContain("HTTP/1.0 200 OK Server: SimpleHTTP/0.6");
    expect(http).not.toMatch(/Python\/3\.\d?[^.\d]/); // no version number cut in two
    expect(d.screen().lines().find((l) => l.includes(" 2024 "))).toMatch(/ open +tcpwrapped\b/);
    d.handle.close();
  });
});

describe("times and counts (#16)", () => {
  test("a stage's time floors as the header's clock does, and one target is singular", () => {
    const d = live();
    d.bus.publish(d.f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 4000 }));
    d.bus.publish(d.f.make("StageChanged", { from_stage: 0, to_stage: 3, stage_name: "PortScanning" } as never));
    d.time.advance(10_900);
    const lines = d.screen().lines();
    expect(lines[0]).toContain("1 target × 4,000 ports │ elapsed 0:10");
    const stage = lines.find((l) => l.includes("Port Scanning"))!;
    expect(stage).not.toContain("11s");
    d.handle.close();
  });
});

describe("narrow terminals (#18)", () => {
  for (const columns of [40, 50, 60]) {
    test(`at ${columns} columns no number is cut from its unit and the open-port count stays`, () => {
      const d = live({ columns, rows: 16 });
      d.bus.publish(d.f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 2001 }));
      d.bus.publish(d.f.portFound(open("127.0.0.1", 3001)));
      for (let i = 1; i <= 5; i++) {
        d.bus.publish(d.f.make("ProgressUpdate", { stage: 3, percentage: i * 8, completed: i * 160, total: 2001, rate_pps: 200, eta_seconds: 7 } as never));
        d.time.advance(1000);
      }
      const lines = d.screen().lines();
      for (const l of lines.slice(1, 8)) {
        // Every number in the stat lines is followed by its unit, a %, a separator or the line's end.
        expect(l.trimEnd()).not.toMatch(/\d$/);
        expect(l).not.toContain("││");
      }
      const stats = lines.find((l) => l.includes(" open"))!;
      expect(stats).toMatch(/1 open/);
      d.handle.close();
    });
  }
});

describe("warnings on stderr under --live (#8)", () => {
  test("stderr lines wait while the screen is up, show in the Warnings panel, and are printed after it; earlier ones are in the panel too", async () => {
    const stderr = new FakeOutput(true);
    const d = live({ rows: 30, io: { stderr, earlierStderr: ["prtip: warning: -p names port 100 more than once\n"] } });
    d.bus.publish(d.f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 10 }));
    stderr.write("prtip: warning: cannot write event log /dev/full: No space left on device\n");
    d.bus.publish(d.f.make("WarningIssued", { message: "cannot write event log /dev/full: No space left on device", severity: "high", code: "event-log-write-failed" }));
    await Promise.resolve();
    d.time.advance(1000);
    expect(stderr.text()).toBe("");
    const text = d.screen().text();
    expect(text).toContain("Warnings (2)");
    expect(text).toContain("-p names port 100 more than once");
    expect(text.match(/cannot write event log/g)?.length).toBe(1);
    d.handle.close();
    expect(stderr.text()).toBe("prtip: warning: cannot write event log /dev/full: No space left on device\n");
    stderr.write("after\n");
    expect(stderr.text()).toEndWith("after\n");
  });
});

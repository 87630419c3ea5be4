import { describe, expect, test } from "bun:test";
import { progressOutput } from "../../src/cli/progress-output.ts";
import { EventBus } from "../../src/events/index.ts";
import { attachProgress } from "../../src/progress/index.ts";
import { FakeOutput, FakeTime } from "../progress/fakes.ts";
import { syntheticScan } from "../progress/synthetic-scan.ts";

/** A scan long enough for plain status lines, shown as the CLI would with `--live`. */
function liveScan(stdoutIsTTY: boolean, stderrIsTTY: boolean) {
  const time = new FakeTime();
  const stdout = new FakeOutput(stdoutIsTTY);
  const stderr = new FakeOutput(stderrIsTTY);
  const { out, live } = progressOutput(true, { stdout, stderr });
  const bus = new EventBus();
  const h = attachProgress(bus, { live, isTTY: out.isTTY, noColor: true }, { out, clock: time, scheduler: time });
  const trace = syntheticScan({ targets: 16, ports: 1000, rate: 500, start: time.now() });
  for (const e of trace.events) {
    time.advance(Math.max(0, e.timestamp - time.now()));
    bus.publish(e);
  }
  h.close();
  return { mode: h.mode, stdout: stdout.text(), stderr: stderr.text() };
}

describe("--live and where progress goes", () => {
  test("--live with stdout redirected writes no status line among the results; it goes to stderr", () => {
    const r = liveScan(false, true);
    expect(r.mode).toBe("line");
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Finalization ▓▓▓▓▓▓▓▓▓▓ 100% | Done in");
  });

  test("--live with stdout and stderr both redirected: plain lines on stderr, stdout untouched", () => {
    const r = liveScan(false, false);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^\[Stage \d\/5\] /);
    expect(r.stderr).not.toContain("\x1b");
  });

  test("--live on a terminal is the dashboard, on stdout", () => {
    const r = liveScan(true, true);
    expect(r.mode).toBe("live");
    expect(r.stdout).toContain("\x1b[?1049h");
    expect(r.stderr).toBe("");
  });
});

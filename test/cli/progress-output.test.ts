import { describe, expect, test } from "bun:test";
import { checkLiveTerminal, dumbTerminal, progressOutput } from "../../src/cli/progress-output.ts";
import { UsageError } from "../../src/errors.ts";
import { EventBus } from "../../src/events/index.ts";
import { attachProgress } from "../../src/progress/index.ts";
import { FakeOutput, FakeTime } from "../progress/fakes.ts";
import { syntheticScan } from "../progress/synthetic-scan.ts";

/** A scan long enough for plain status lines, shown as the CLI would with `--live`. */
function liveScan(stdoutIsTTY: boolean, stderrIsTTY: boolean, term: string | null = "xterm-256color", asked = true) {
  const time = new FakeTime();
  const stdout = new FakeOutput(stdoutIsTTY);
  const stderr = new FakeOutput(stderrIsTTY);
  const { out, live } = progressOutput(asked, { stdout, stderr, env: (n) => (n === "TERM" && term !== null ? term : undefined) });
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
    expect(r.stderr).toContain("[Stage 5/5] Finalization");
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

  for (const term of ["dumb", null, ""]) {
    test(`TERM=${term === null ? "(unset)" : JSON.stringify(term)} on a terminal: plain status lines, no escapes at all`, () => {
      const r = liveScan(true, true, term, false);
      expect(r.mode).toBe("plain");
      expect(r.stderr).toMatch(/^\[Stage \d\/5\] .*\| elapsed \d+s\n/);
      expect(r.stderr).not.toContain("\x1b");
      expect(r.stdout).toBe("");
    });
  }

  test("--live on a TERM=dumb terminal is refused with one line saying why (exit 2)", () => {
    const stdout = new FakeOutput(true);
    const env = (term: string | undefined) => (n: string) => (n === "TERM" ? term : undefined);
    const refuse = (term: string | undefined) => () => checkLiveTerminal(true, { stdout, stderr: stdout, env: env(term) });
    expect(refuse("dumb")).toThrow(UsageError);
    expect(refuse("dumb")).toThrow(/^--live needs a terminal that can move the cursor, and TERM="dumb" says this one can't; without --live/);
    expect(refuse(undefined)).toThrow(/and no TERM says/);
    expect(refuse("xterm-256color")).not.toThrow();
    // Not asked for, or not drawn anyway (stdout redirected): nothing to refuse.
    expect(() => checkLiveTerminal(false, { stdout, stderr: stdout, env: env("dumb") })).not.toThrow();
    expect(() => checkLiveTerminal(true, { stdout: new FakeOutput(false), stderr: stdout, env: env("dumb") })).not.toThrow();
  });

  test("a runtime that may not read TERM (Deno without it in --allow-env) draws as before", () => {
    expect(
      dumbTerminal(() => {
        throw new Error("NotCapable");
      }),
    ).toBe(false);
  });
});

import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEventLog } from "../../src/cli/event-log-setup.ts";
import { exitOnTerminationSignals } from "../../src/cli/shutdown.ts";
import type { LoggingOptions } from "../../src/cli/config.ts";
import { CliError } from "../../src/errors.ts";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import type { SignalName } from "../../src/runtime/index.ts";
import { FakeClock, ManualTimer, SCAN_ID, tempDir } from "./helpers.ts";

const T = Date.UTC(2024, 10, 15, 10, 30, 1, 123);
const logging = (path: string | null): LoggingOptions => ({ path, rotation: "never", maxSize: 1e9, maxFiles: null, compression: false, rotationSuffix: null });

function stderr() {
  const out: string[] = [];
  return { out, rt: { stderr: { write: (c: string | Uint8Array) => void out.push(String(c)), isTTY: false, size: () => ({ columns: 80, rows: 24 }) } } };
}

describe("startEventLog", () => {
  test("no --event-log means no logger", async () => {
    const { rt } = stderr();
    expect(await startEventLog(new EventBus(), logging(null), rt, new EventFactory())).toBeNull();
  });

  test("a repaired torn tail is warned on stderr and logged as WarningIssued after log_started", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, "scans.jsonl");
    writeFileSync(path, '{"event":"log_s');
    const clock = new FakeClock(T);
    const bus = new EventBus();
    const { out, rt } = stderr();
    const handle = await startEventLog(bus, logging(path), rt, new EventFactory(SCAN_ID, clock), { clock, timer: new ManualTimer().every });
    await handle!.close();
    expect(out.join("")).toMatch(/^prtip: warning: event log .* ended in a torn line: removed its last 15 bytes before appending\n$/);
    const rows = readFileSync(path, "utf8").split("\n").slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.event)).toEqual(["log_started", "WarningIssued", "log_ended"]);
    expect(rows[1]).toMatchObject({ code: "event-log-torn-tail", severity: "medium", seq: 1 });
  });

  test("an unopenable log path is a CliError with exit code 2 (a usage error) naming the path", async () => {
    using tmp = tempDir();
    writeFileSync(join(tmp.dir, "file"), "");
    const { rt } = stderr();
    const path = join(tmp.dir, "file", "x.jsonl");
    const err = await startEventLog(new EventBus(), logging(path), rt, new EventFactory()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toContain(JSON.stringify(path));
  });
});

describe("exitOnTerminationSignals", () => {
  function fakeRuntime() {
    const handlers = new Map<SignalName, () => void>();
    const exits: number[] = [];
    const rt = {
      onSignal: (s: SignalName, h: () => void) => (handlers.set(s, h), () => void handlers.delete(s)),
      exit: (code: number): never => {
        exits.push(code);
        return undefined as never;
      },
      stderr: { write: () => {}, isTTY: false, size: () => ({ columns: 80, rows: 24 }) },
    };
    return { rt, handlers, exits };
  }

  test("SIGTERM stops once, then exits 143; a second signal exits at once", async () => {
    const { rt, handlers, exits } = fakeRuntime();
    let release!: () => void;
    const stops: string[] = [];
    exitOnTerminationSignals(rt, (signal) => {
      stops.push(signal);
      return new Promise<void>((resolve) => (release = resolve));
    });
    handlers.get("SIGTERM")!();
    expect(stops).toEqual(["SIGTERM"]);
    expect(exits).toEqual([]);
    handlers.get("SIGINT")!();
    expect(exits).toEqual([130]);
    release();
    await Promise.resolve();
    await Promise.resolve();
    expect(exits).toEqual([130, 143]);
    expect(stops).toEqual(["SIGTERM"]);
  });

  test("the remover takes both handlers away", () => {
    const { rt, handlers } = fakeRuntime();
    const remove = exitOnTerminationSignals(rt, async () => {});
    expect([...handlers.keys()].sort()).toEqual(["SIGINT", "SIGTERM"]);
    remove();
    expect(handlers.size).toBe(0);
  });
});

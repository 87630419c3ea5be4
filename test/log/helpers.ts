import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import type { Every } from "../../src/log/index.ts";

export const SCAN_ID = "3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b";

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

/** A timer the test fires by hand with tick(). */
export class ManualTimer {
  private fns: (() => void)[] = [];
  readonly every: Every = (_ms, fn) => {
    this.fns.push(fn);
    return () => (this.fns = this.fns.filter((f) => f !== fn));
  };
  tick(): void {
    for (const fn of this.fns) fn();
  }
  get active(): number {
    return this.fns.length;
  }
}

export function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), "prtip-log-"));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

export function lines(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return text.split("\n").slice(0, -1);
}

export function parsed(path: string): Record<string, unknown>[] {
  return lines(path).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function files(dir: string): string[] {
  return readdirSync(dir).sort();
}

export function busWith(clock: FakeClock): { bus: EventBus; factory: EventFactory } {
  return { bus: new EventBus(), factory: new EventFactory(SCAN_ID, clock) };
}

export function publishPorts(bus: EventBus, factory: EventFactory, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    bus.publish(factory.portFound({ target: `10.0.${(i >> 8) & 255}.${i & 255}`, port: 1 + (i % 65535), protocol: "Tcp", state: "Open", reason: "syn-ack" }));
  }
}

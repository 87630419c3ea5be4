import { describe, expect, test } from "bun:test";
import { AttemptLog } from "../../../src/scan/syn/attempts.ts";

// Probes are numbers, as the SYN scan's ProbeTable hands them out: index into `probes`.
interface Probe {
  done: boolean;
  attempt: number;
}

function lab(count: number) {
  const probes: Probe[] = Array.from({ length: count }, () => ({ done: false, attempt: 0 }));
  const awaiting = (p: number, n: number) => !probes[p]!.done && probes[p]!.attempt === n;
  const send = (log: AttemptLog, p: number): number => (probes[p]!.attempt = log.add(p, awaiting));
  return { probes, send };
}

describe("attempt log", () => {
  test("numbers are handed out in order and name what was sent", () => {
    const log = new AttemptLog(4);
    const { send } = lab(2);
    expect([send(log, 0), send(log, 1)]).toEqual([0, 1]);
    expect(log.get(0)).toBe(0);
    expect(log.get(1)).toBe(1);
    expect(log.get(2)).toBe(-1);
    expect(log.get(-7)).toBe(-1);
  });

  test("an attempt still awaiting its reply is never overwritten: the log grows and keeps every number", () => {
    const log = new AttemptLog(4);
    const { send } = lab(100);
    const numbers = Array.from({ length: 100 }, (_, p) => send(log, p));
    expect(log.capacity).toBeGreaterThanOrEqual(100);
    numbers.forEach((n, p) => expect(log.get(n)).toBe(p));
  });

  test("reserve makes room up front and keeps every attempt already recorded", () => {
    const log = new AttemptLog(4);
    const { send } = lab(3);
    const numbers = [0, 1, 2].map((p) => send(log, p));
    log.reserve(1000);
    expect(log.capacity).toBeGreaterThanOrEqual(1000);
    numbers.forEach((n, p) => expect(log.get(n)).toBe(p));
  });

  test("slots of decided probes and of superseded attempts are reused without growing", () => {
    const log = new AttemptLog(4);
    const { probes, send } = lab(7);
    const retried = 0;
    for (let p = 1; p < 7; p++) probes[p]!.done = true;
    const first = send(log, retried);
    send(log, 1);
    send(log, retried); // the retry: the first SYN's slot may be reused now
    for (let p = 2; p < 5; p++) send(log, p);
    expect(log.capacity).toBe(4);
    expect(log.get(first)).toBe(-1);
    // The retry's slot comes round next: still awaiting a reply, so the log grows rather than forget it.
    const second = probes[retried]!.attempt;
    send(log, 5);
    expect(log.capacity).toBe(8);
    expect(log.get(second)).toBe(retried);
  });
});

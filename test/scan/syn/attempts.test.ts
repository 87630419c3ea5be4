import { describe, expect, test } from "bun:test";
import { AttemptLog } from "../../../src/scan/syn/attempts.ts";

interface Probe {
  name: string;
  done: boolean;
  attempt: number;
}
const awaiting = (p: Probe, n: number) => !p.done && p.attempt === n;

function send(log: AttemptLog<Probe>, p: Probe): number {
  p.attempt = log.add(p, awaiting);
  return p.attempt;
}

describe("attempt log", () => {
  test("numbers are handed out in order and name what was sent", () => {
    const log = new AttemptLog<Probe>(4);
    const a = { name: "a", done: false, attempt: 0 };
    const b = { name: "b", done: false, attempt: 0 };
    expect([send(log, a), send(log, b)]).toEqual([0, 1]);
    expect(log.get(0)).toBe(a);
    expect(log.get(1)).toBe(b);
    expect(log.get(2)).toBeUndefined();
    expect(log.get(-7)).toBeUndefined();
  });

  test("an attempt still awaiting its reply is never overwritten: the log grows and keeps every number", () => {
    const log = new AttemptLog<Probe>(4);
    const probes = Array.from({ length: 100 }, (_, i) => ({ name: `p${i}`, done: false, attempt: 0 }));
    const numbers = probes.map((p) => send(log, p));
    expect(log.capacity).toBeGreaterThanOrEqual(100);
    numbers.forEach((n, i) => expect(log.get(n)).toBe(probes[i]!));
  });

  test("slots of decided probes and of superseded attempts are reused without growing", () => {
    const log = new AttemptLog<Probe>(4);
    const p = { name: "retried", done: false, attempt: 0 };
    const first = send(log, p);
    send(log, { name: "q", done: true, attempt: 0 });
    send(log, p); // the retry: the first SYN's slot may be reused now
    for (let i = 0; i < 3; i++) send(log, { name: `r${i}`, done: true, attempt: 0 });
    expect(log.capacity).toBe(4);
    expect(log.get(first)).toBeUndefined();
    // The retry's slot comes round next: still awaiting a reply, so the log grows rather than forget it.
    const second = p.attempt;
    send(log, { name: "s", done: true, attempt: 0 });
    expect(log.capacity).toBe(8);
    expect(log.get(second)).toBe(p);
  });
});

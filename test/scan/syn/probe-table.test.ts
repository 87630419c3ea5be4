import { describe, expect, test } from "bun:test";
import { IntFifo } from "../../../src/scan/syn/fifo.ts";
import type { HostState } from "../../../src/scan/syn/hosts.ts";
import { ProbeTable } from "../../../src/scan/syn/pending.ts";

const host = { key: "198.18.0.5" } as HostState;

describe("probe table", () => {
  test("a released slot is handed out again with its fields reset; growing keeps every probe's fields", () => {
    const table = new ProbeTable(2);
    const a = table.admit("198.18.0.5", 22, host);
    table.attempts[a] = 3;
    table.done[a] = 1;
    table.release(a);
    const b = table.admit("198.18.0.6", 80, host);
    expect(b).toBe(a);
    expect([table.target[b], table.port[b], table.attempts[b], table.done[b]]).toEqual(["198.18.0.6", 80, 0, 0]);
    const more = Array.from({ length: 10 }, (_, i) => table.admit(`198.18.1.${i}`, 1000 + i, host));
    expect(new Set([b, ...more]).size).toBe(11);
    more.forEach((p, i) => expect([table.target[p], table.port[p]]).toEqual([`198.18.1.${i}`, 1000 + i]));
    expect(table.port[b]).toBe(80);
  });

  test("a reply's attempt number decides the probe only if it was one of its SYNs to that port", () => {
    const table = new ProbeTable();
    const p = table.admit("198.18.0.5", 443, host);
    expect(table.sentTo(p, 7, 443)).toBe(false); // nothing sent yet
    table.firstAttempt[p] = 7;
    table.attempt[p] = 9;
    table.attempts[p] = 3;
    expect([7, 8, 9].map((n) => table.sentTo(p, n, 443))).toEqual([true, true, true]);
    expect(table.sentTo(p, 6, 443)).toBe(false);
    expect(table.sentTo(p, 10, 443)).toBe(false);
    expect(table.sentTo(p, 8, 444)).toBe(false);
    expect(table.awaitingReply(p, 9)).toBe(true);
    expect(table.awaitingReply(p, 8)).toBe(false); // superseded by the retry
    table.done[p] = 1;
    expect(table.awaitingReply(p, 9)).toBe(false);
  });
});

describe("int fifo", () => {
  test("keeps order across wrap-around and growth; empty reads -1", () => {
    const q = new IntFifo();
    expect([q.peek(), q.shift()]).toEqual([-1, -1]);
    const out: number[] = [];
    let next = 0;
    // Push 3, take 2, so the ring wraps many times before it has to grow.
    for (let round = 0; round < 3000; round++) {
      for (let k = 0; k < 3; k++) q.push(next++);
      out.push(q.shift(), q.shift());
    }
    while (q.size > 0) out.push(q.shift());
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });
});

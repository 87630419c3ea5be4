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
    expect([table.target(b), table.port[b], table.attempts[b], table.done[b]]).toEqual(["198.18.0.6", 80, 0, 0]);
    const more = Array.from({ length: 10 }, (_, i) => table.admit(`198.18.1.${i}`, 1000 + i, host));
    expect(new Set([b, ...more]).size).toBe(11);
    more.forEach((p, i) => expect([table.target(p), table.port[p]]).toEqual([`198.18.1.${i}`, 1000 + i]));
    expect(table.port[b]).toBe(80);
  });

  test("each probe keeps the name and host it was admitted with, by the engine's host index or by name", () => {
    const table = new ProbeTable(4);
    const a = { key: "198.18.0.7" } as HostState;
    const b = { key: "198.18.0.8" } as HostState;
    // Two names for one host, a host without an index, and an index reused for another host by a second scan's engine.
    const probes = [
      table.admit("198.18.0.7", 1, a, 0),
      table.admit("lab-a", 2, a, 1),
      table.admit("198.18.0.8", 3, b),
      table.admit("198.18.0.7", 4, a, 0),
      table.admit("198.18.0.8", 5, b, 0),
      table.admit("198.18.0.7", 6, a, 2_000_000),
    ];
    expect(probes.map((p) => [table.target(p), table.host(p).key, table.port[p]])).toEqual([
      ["198.18.0.7", "198.18.0.7", 1],
      ["lab-a", "198.18.0.7", 2],
      ["198.18.0.8", "198.18.0.8", 3],
      ["198.18.0.7", "198.18.0.7", 4],
      ["198.18.0.8", "198.18.0.8", 5],
      ["198.18.0.7", "198.18.0.7", 6],
    ]);
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

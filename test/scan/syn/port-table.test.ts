import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { PortTable } from "../../../src/scan/syn/port-table.ts";

describe("PortTable (a host's outstanding probes by port)", () => {
  test("any sequence of sets and deletes answers get, delete and size as a Map would", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), port: fc.integer({ min: 0, max: 65535 }), value: fc.integer() }),
      fc.record({ kind: fc.constant("delete" as const), port: fc.integer({ min: 0, max: 65535 }) }),
      // Ports close together collide in small tables: exercises probing runs and the backward shift.
      fc.record({ kind: fc.constant("set" as const), port: fc.integer({ min: 0, max: 40 }), value: fc.integer() }),
      fc.record({ kind: fc.constant("delete" as const), port: fc.integer({ min: 0, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const table = new PortTable<number>(4);
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === "set") {
            table.set(o.port, o.value);
            model.set(o.port, o.value);
          } else expect(table.delete(o.port)).toBe(model.delete(o.port));
          expect(table.size).toBe(model.size);
        }
        for (let port = 0; port <= 40; port++) expect(table.get(port)).toBe(model.get(port));
        for (const [port, value] of model) expect(table.get(port)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  test("every port of a full scan of one host goes in and comes out", () => {
    const table = new PortTable<number>();
    for (let port = 1; port <= 65535; port++) table.set(port, port * 2);
    expect(table.size).toBe(65535);
    for (let port = 1; port <= 65535; port += 7) expect(table.get(port)).toBe(port * 2);
    for (let port = 1; port <= 65535; port++) expect(table.delete(port)).toBe(true);
    expect(table.size).toBe(0);
    expect(table.get(80)).toBeUndefined();
  });
});

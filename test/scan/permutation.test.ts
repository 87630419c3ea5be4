import { describe, expect, test } from "bun:test";
import { Permutation, shardLength, shardOrder } from "../../src/scan/index.ts";

const all = (p: Permutation) => Array.from({ length: p.size }, (_, i) => p.at(i));

describe("permutation", () => {
  for (const size of [0, 1, 2, 3, 4, 17, 1000, 1023, 4096, 65535, 100_003]) {
    test(`visits each of ${size} positions exactly once`, () => {
      const seen = new Uint8Array(size);
      for (const x of all(new Permutation(size, 42))) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(size);
        seen[x]!++;
      }
      expect(seen.every((n) => n === 1)).toBe(true);
    });
  }

  test("the same seed gives the same order; another seed another order", () => {
    expect(all(new Permutation(5000, 7))).toEqual(all(new Permutation(5000, 7)));
    expect(all(new Permutation(5000, 7))).not.toEqual(all(new Permutation(5000, 8)));
  });

  test("the order is not sequential", () => {
    const order = all(new Permutation(10_000, 1));
    const ascending = order.filter((x, i) => i > 0 && x === order[i - 1]! + 1).length;
    expect(ascending).toBeLessThan(100);
  });

  test("shards 1/3, 2/3 and 3/3 split the space with no overlap and no gap", () => {
    const perm = new Permutation(10_007, 99);
    const parts = [1, 2, 3].map((index) => [...shardOrder(perm, { index, count: 3 })]);
    expect(parts.map((p) => p.length)).toEqual([1, 2, 3].map((index) => shardLength(10_007, { index, count: 3 })));
    const union = parts.flat().sort((a, b) => a - b);
    expect(union).toEqual(Array.from({ length: 10_007 }, (_, i) => i));
  });

  test("a huge space maps in constant memory and stays in range", () => {
    const size = 2 ** 24 * 65535;
    const perm = new Permutation(size, 5);
    for (const i of [0, 1, 12345, size - 1]) {
      const x = perm.at(i);
      expect(Number.isSafeInteger(x) && x >= 0 && x < size).toBe(true);
    }
  });

  test("shards larger than the space are empty", () => {
    expect(shardLength(2, { index: 3, count: 4 })).toBe(0);
  });
});

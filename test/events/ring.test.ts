import { describe, expect, test } from "bun:test";
import { Ring } from "../../src/events/index.ts";

describe("Ring", () => {
  // Items are their own numbers: item n is put as number n.
  const filled = (capacity: number, items: number) => {
    const ring = new Ring<number>(capacity);
    for (let i = 1; i <= items; i++) ring.put(i, i);
    return ring;
  };

  test("holds the newest `capacity` items, oldest first, once the numbers pass it", () => {
    const ring = filled(4, 6);
    expect(ring.toArray(6)).toEqual([3, 4, 5, 6]);
    expect(ring.length(6)).toBe(4);
    expect(filled(4, 3).toArray(3)).toEqual([1, 2, 3]);
  });

  test("a capacity is rounded up to a power of two", () => {
    const ring = filled(1000, 1500);
    expect(ring.capacity).toBe(1024);
    expect(ring.toArray(1500)).toEqual(Array.from({ length: 1024 }, (_, i) => 477 + i));
  });

  test("resize larger keeps every item in order and then holds more", () => {
    const ring = filled(4, 6); // holds 3 4 5 6, wrapped
    ring.resize(8, 6);
    expect(ring.toArray(6)).toEqual([3, 4, 5, 6]);
    for (let i = 7; i <= 12; i++) ring.put(i, i);
    expect(ring.toArray(12)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test("resize smaller keeps the newest that fit, in order, and goes on overwriting the oldest", () => {
    const ring = filled(8, 11);
    ring.resize(4, 11);
    expect(ring.toArray(11)).toEqual([8, 9, 10, 11]);
    ring.put(12, 12);
    expect(ring.toArray(12)).toEqual([9, 10, 11, 12]);
    expect(ring.length(12)).toBe(4);
  });

  test("copyNewest copies the newest n, oldest first, at an offset", () => {
    const ring = filled(4, 6);
    const into: (number | undefined)[] = [0, 0, 0, 0];
    ring.copyNewest(2, 6, into, 1);
    expect(into).toEqual([0, 5, 6, 0]);
  });

  test("trim keeps the newest n in order, lets go of the rest, and the ring fills on from there", () => {
    const ring = filled(8, 11); // holds 4..11, wrapped
    ring.trim(3, 11);
    expect(ring.toArray(11)).toEqual([9, 10, 11]);
    expect(ring.length(11)).toBe(3);
    // What it let go of is no longer referenced, so the collector can take it.
    const slots = (ring as unknown as { slots: (number | undefined)[] }).slots;
    expect(slots.filter((x) => x !== undefined).sort((a, b) => a! - b!)).toEqual([9, 10, 11]);
    for (let i = 12; i <= 18; i++) ring.put(i, i);
    expect(ring.toArray(18)).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
    ring.trim(20, 18);
    expect(ring.length(18)).toBe(8);
  });

  test("numbers past 2^31 still find their slots", () => {
    const ring = new Ring<number>(4);
    const first = 2 ** 31 - 2;
    ring.resize(4, first - 1); // a ring that starts counting there
    for (let n = first; n < first + 6; n++) ring.put(n, n);
    expect(ring.toArray(first + 5)).toEqual([first + 2, first + 3, first + 4, first + 5]);
  });

  test("a capacity that is not a positive integer is refused, naming it", () => {
    expect(() => new Ring(0)).toThrow("got 0");
    expect(() => filled(2, 2).resize(1.5, 2)).toThrow("got 1.5");
  });
});

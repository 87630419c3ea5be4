import { describe, expect, test } from "bun:test";
import { Ring } from "../../src/events/index.ts";

describe("Ring", () => {
  const filled = (capacity: number, items: number) => {
    const ring = new Ring<number>(capacity);
    for (let i = 1; i <= items; i++) ring.push(i);
    return ring;
  };

  test("resize larger keeps every item in order and then holds more", () => {
    const ring = filled(4, 6); // holds 3 4 5 6, wrapped
    ring.resize(8);
    expect(ring.toArray()).toEqual([3, 4, 5, 6]);
    for (let i = 7; i <= 12; i++) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test("resize smaller keeps the newest that fit, in order, and goes on overwriting the oldest", () => {
    const ring = filled(8, 11);
    ring.resize(3);
    expect(ring.toArray()).toEqual([9, 10, 11]);
    ring.push(12);
    expect(ring.toArray()).toEqual([10, 11, 12]);
    expect(ring.length).toBe(3);
  });

  test("copyNewest copies the newest n, oldest first, at an offset", () => {
    const ring = filled(4, 6);
    const into: (number | undefined)[] = [0, 0, 0, 0];
    ring.copyNewest(2, into, 1);
    expect(into).toEqual([0, 5, 6, 0]);
  });

  test("trim keeps the newest n in order, lets go of the rest, and the ring fills on from there", () => {
    const ring = filled(8, 11); // holds 4..11, wrapped
    ring.trim(3);
    expect(ring.toArray()).toEqual([9, 10, 11]);
    expect(ring.length).toBe(3);
    // What it let go of is no longer referenced, so the collector can take it.
    const slots = (ring as unknown as { slots: (number | undefined)[] }).slots;
    expect(slots.filter((x) => x !== undefined).sort((a, b) => a! - b!)).toEqual([9, 10, 11]);
    for (let i = 12; i <= 18; i++) ring.push(i);
    expect(ring.toArray()).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
    ring.trim(20);
    expect(ring.length).toBe(8);
  });

  test("a capacity that is not a positive integer is refused, naming it", () => {
    expect(() => new Ring(0)).toThrow("got 0");
    expect(() => filled(2, 2).resize(1.5)).toThrow("got 1.5");
  });
});

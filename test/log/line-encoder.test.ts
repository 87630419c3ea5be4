import { describe, expect, test } from "bun:test";
import { encodeEvent } from "../../src/events/index.ts";
import type { AnyEvent, ScanEvent } from "../../src/events/index.ts";
import { LineEncoder } from "../../src/log/index.ts";
import { GOLDEN, T0 } from "../events/fixtures.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function bytesOf(events: AnyEvent[]): string {
  const enc = new LineEncoder(64);
  for (const e of events) enc.encode(e);
  return text(enc.take());
}

describe("LineEncoder writes encodeEvent()'s bytes", () => {
  test("every golden event, one line each", () => {
    const events = GOLDEN.map(([e]) => e);
    expect(bytesOf(events)).toBe(GOLDEN.map(([, line]) => line + "\n").join(""));
  });

  const port = GOLDEN.find(([e]) => e.event === "PortFound")![0];
  const banner = GOLDEN.find(([e]) => e.event === "BannerGrabbed")![0];
  const progress = GOLDEN.find(([e]) => e.event === "ProgressUpdate")![0];
  const awkward: [string, ScanEvent][] = [
    ["non-ASCII and escapes in a banner", { ...banner, banner: 'SSH-2.0 "é" \\ \u0001 \u2028 😀' } as ScanEvent],
    ["a lone surrogate", { ...banner, banner: "a\ud800b" } as ScanEvent],
    ["a 1 KiB banner", { ...banner, banner: "x".repeat(1024) } as ScanEvent],
    ["a 100 KiB banner", { ...banner, banner: "y".repeat(100_000) } as ScanEvent],
    ["floats, negatives, -0, NaN and huge numbers", { ...progress, pps: 12.5, percentage: -0, total: 2 ** 53 + 2, completed: -3, bandwidth_bps: Number.NaN, eta_seconds: 1e21 } as ScanEvent],
    ["null optional values", { ...progress, eta_seconds: null } as unknown as ScanEvent],
    ["seq and port at int32 edges", { ...port, seq: 2 ** 31 - 1, port: 65535 } as ScanEvent],
    ["seq beyond int32", { ...port, seq: 2 ** 31 + 5 } as ScanEvent],
    ["a timestamp with a fraction of a millisecond", { ...port, timestamp: T0 + 0.75 } as ScanEvent],
    ["a timestamp at a second boundary", { ...port, timestamp: T0 + 877 } as ScanEvent],
    ["a timestamp before 1970", { ...port, timestamp: -5 } as ScanEvent],
    ["a non-UUID scan_id with a quote", { ...port, scan_id: 'a"b' } as ScanEvent],
  ];
  for (const [name, event] of awkward) {
    test(name, () => {
      expect(bytesOf([event, port, event])).toBe([event, port, event].map((e) => encodeEvent(e) + "\n").join(""));
    });
  }

  test("an unknown event passes through as encodeEvent writes it", () => {
    const unknown = { event: "FutureThing", scan_id: "x", extra: [1], seq: 3, timestamp: T0 } as unknown as AnyEvent;
    expect(bytesOf([unknown, port])).toBe(encodeEvent(unknown) + "\n" + encodeEvent(port) + "\n");
  });

  test("10 000 varied PortFound events across buffer growth", () => {
    const events = Array.from({ length: 10_000 }, (_, i) => ({
      ...port,
      target: `10.${i % 7}.${(i >> 8) & 255}.${i & 255}`,
      port: 1 + ((i * 7919) % 65535),
      seq: i * 131,
      timestamp: T0 + i * 37,
    })) as ScanEvent[];
    expect(bytesOf(events)).toBe(events.map((e) => encodeEvent(e) + "\n").join(""));
  });

  test("port events whose scan, type, state, reason and protocol change from line to line", () => {
    const states = ["Open", "Closed", "Filtered"] as const;
    const reasons = ["syn-ack", "rst", 'odd "reason" \\ é'];
    const events = Array.from({ length: 300 }, (_, i) => ({
      ...port,
      event: i % 5 === 0 ? "IPv6PortFound" : "PortFound",
      scan_id: i % 50 < 25 ? port.scan_id : "second-scan",
      target: i % 5 === 0 ? "2001:db8::10" : i % 11 === 0 ? "hôte" : `198.18.0.${i & 255}`,
      protocol: i % 3 === 0 ? "Udp" : "Tcp",
      state: states[i % 3]!,
      reason: reasons[(i >> 1) % 3]!,
      seq: i + 1,
    })) as ScanEvent[];
    expect(bytesOf(events)).toBe(events.map((e) => encodeEvent(e) + "\n").join(""));
  });

  test("bytes handed out by take() stay as they were until recycled, and are reused after", () => {
    const enc = new LineEncoder(4096);
    enc.encode(port);
    const first = enc.take();
    const copy = first.slice();
    for (let i = 0; i < 40; i++) enc.encode(banner);
    const second = enc.take();
    expect(first).toEqual(copy);
    enc.recycle(first);
    enc.encode(progress);
    expect(text(enc.take())).toBe(encodeEvent(progress) + "\n");
    enc.encode(port);
    const reused = enc.take();
    expect(reused.buffer).toBe(first.buffer);
    expect(text(reused)).toBe(encodeEvent(port) + "\n");
    expect(second.buffer).not.toBe(first.buffer);
  });

  test("truncate forgets the last line and take starts over", () => {
    const enc = new LineEncoder();
    enc.encode(port);
    const keep = enc.length;
    enc.encode(banner);
    enc.truncate(keep);
    expect(text(enc.take())).toBe(encodeEvent(port) + "\n");
    expect(enc.length).toBe(0);
    expect(() => enc.truncate(5)).toThrow(RangeError);
  });
});

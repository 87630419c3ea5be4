import { describe, expect, test } from "bun:test";
import { OS_THRESHOLD, guessOs, initialTtl, tcpOptionKinds } from "../../src/detect/index.ts";
import type { SynAckTraits } from "../../src/detect/index.ts";

// SYN-ACKs as each stack sends them by default (option order, window, scale),
// seen a few hops away.
const linux: SynAckTraits = { ttl: 61, window: 65160, options: ["mss", "sackOK", "ts", "nop", "wscale"], mss: 1460, wscale: 7 };
const linuxLoopback: SynAckTraits = { ttl: 64, window: 65483, options: ["mss", "sackOK", "ts", "nop", "wscale"], mss: 65495, wscale: 7 };
const windows: SynAckTraits = { ttl: 124, window: 65535, options: ["mss", "nop", "wscale", "sackOK"], mss: 1460, wscale: 8 };
const macos: SynAckTraits = { ttl: 63, window: 65535, options: ["mss", "nop", "wscale", "nop", "nop", "ts", "sackOK", "eol"], mss: 1460, wscale: 6 };
const freebsd: SynAckTraits = { ttl: 57, window: 65535, options: ["mss", "nop", "wscale", "sackOK", "ts"], mss: 1460, wscale: 6 };

describe("OS guess from one SYN-ACK", () => {
  test("a Linux SYN-ACK is Linux with high confidence", () => {
    const guess = guessOs(linux);
    expect(guess.os).toBe("Linux");
    expect(guess.confidence).toBeGreaterThanOrEqual(90);
  });

  test("Linux on loopback (MSS 65495, window MSS minus timestamps) is Linux", () => {
    expect(guessOs(linuxLoopback).os).toBe("Linux");
  });

  test("Windows, macOS and FreeBSD are told apart by option order", () => {
    expect(guessOs(windows).os).toBe("Windows");
    expect(guessOs(macos).os).toBe("macOS");
    expect(guessOs(freebsd).os).toBe("FreeBSD");
  });

  test("a TTL alone is not enough: Unknown, and no claimed confidence", () => {
    expect(guessOs({ ttl: 64, window: 0, options: [] })).toEqual({ os: "Unknown", os_version: null, confidence: 0 });
  });

  test("TTL and window shared by several stacks stay Unknown", () => {
    expect(guessOs({ ttl: 64, window: 65535, options: [] }).os).toBe("Unknown");
  });

  test("an unfamiliar option order lowers the guess below the threshold", () => {
    const odd = guessOs({ ...linux, options: ["nop", "nop", "ts", "mss"], window: 1234, wscale: 14 });
    expect(odd.os).toBe("Unknown");
  });

  test("a TTL too far below its initial value does not count as evidence", () => {
    const far = guessOs({ ...windows, ttl: 80 });
    const near = guessOs(windows);
    expect(far.confidence).toBeLessThan(near.confidence);
  });

  test("every named guess clears the threshold; confidence stays within 0-100", () => {
    for (const t of [linux, linuxLoopback, windows, macos, freebsd]) {
      const g = guessOs(t);
      expect(g.confidence).toBeGreaterThanOrEqual(OS_THRESHOLD);
      expect(g.confidence).toBeLessThanOrEqual(100);
    }
  });

  test("initial TTL is the next common start value", () => {
    expect([1, 32, 33, 64, 65, 128, 129, 255].map(initialTtl)).toEqual([32, 32, 64, 64, 128, 128, 255, 255]);
  });

  test("option kind numbers from a decoded SYN-ACK map onto signature names", () => {
    expect(tcpOptionKinds([2, 4, 8, 1, 3])).toEqual([...linux.options]);
    expect(tcpOptionKinds([2, 1, 1, 30])).toEqual(["mss", "nop", "nop", "opt30"]);
  });
});

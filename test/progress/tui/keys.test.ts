import { describe, expect, test } from "bun:test";
import { KeyDecoder } from "../../../src/progress/tui/index.ts";

describe("dashboard keys", () => {
  test("letters and escape sequences become key names", () => {
    const d = new KeyDecoder();
    expect(d.push("qp?\x1b[A\x1b[B\x1b[5~\x1b[6~\x1bOH\x1b[F\x03")).toEqual([
      "q",
      "p",
      "help",
      "up",
      "down",
      "pageup",
      "pagedown",
      "home",
      "end",
      "interrupt",
    ]);
  });

  test("a sequence split across reads is decoded once complete", () => {
    const d = new KeyDecoder();
    expect(d.push("\x1b")).toEqual([]);
    expect(d.push("[")).toEqual([]);
    expect(d.push("5")).toEqual([]);
    expect(d.push(new TextEncoder().encode("~q"))).toEqual(["pageup", "q"]);
  });

  test("unknown sequences are dropped whole; a lone escape is a key", () => {
    const d = new KeyDecoder();
    expect(d.push("\x1b[1;5Cp")).toEqual(["p"]);
    expect(d.push("\x1bx")).toEqual(["escape"]);
  });
});

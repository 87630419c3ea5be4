import type { Buffer } from "node:buffer";
import { Interner } from "./interner.ts";

const QUOTE = 34;
const BACKSLASH = 92;
const decoder = new TextDecoder();
const interner = new Interner();

/** The JSON value written in bytes [from, to): strings without escapes and integers are read without JSON.parse. */
export function valueOf(buf: Buffer, raw: Uint8Array, from: number, to: number): unknown {
  const first = raw[from];
  if (first === QUOTE) {
    for (let i = from + 1; i < to - 1; i++) {
      if (raw[i] === BACKSLASH) return JSON.parse(decoder.decode(buf.subarray(from, to)));
    }
    return interner.text(raw, from + 1, to - 1);
  }
  if (first === 110) return null; // null
  if (first === 116) return true;
  if (first === 102) return false;
  if (first === 91) return JSON.parse(decoder.decode(buf.subarray(from, to)));
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = raw[i]! - 48;
    if (d < 0 || d > 9 || i - from > 14) return Number(buf.toString("latin1", from, to));
    n = n * 10 + d;
  }
  return to > from ? n : Number.NaN;
}

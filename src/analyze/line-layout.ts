// The values of a known event's line, checked as the encoder writes them
// (JSON.stringify strings, String(number), true/false, string arrays, or null),
// so a line whose start and end look right but whose middle is damaged is not
// taken for an event. Anything else the encoder would not write (whitespace,
// another key order) is left to JSON.parse by the caller.

import type { FieldKind } from "../events/index.ts";

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;

export const STRING = 0;
export const NUMBER = 1;
export const BOOL = 2;
export const STRINGS = 3;

export function kindCode(kind: FieldKind): number {
  return kind === "s" ? STRING : kind === "n" ? NUMBER : kind === "b" ? BOOL : STRINGS;
}

/** A known event's keys as written: `,"key":` for each, back to back, and how each value is written. */
export interface Layout {
  readonly seps: Uint8Array;
  /** Key i's `,"key":` is seps[sepAt[i], sepAt[i+1]). */
  readonly sepAt: Int32Array;
  readonly kinds: Uint8Array;
}

export function layoutOf(keys: readonly string[], kinds: readonly number[]): Layout {
  const encoder = new TextEncoder();
  const parts = keys.map((k) => encoder.encode(`,${JSON.stringify(k)}:`));
  const seps = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const sepAt = new Int32Array(keys.length + 1);
  parts.forEach((part, i) => {
    seps.set(part, sepAt[i]!);
    sepAt[i + 1] = sepAt[i]! + part.length;
  });
  return { seps, sepAt, kinds: Uint8Array.from(kinds) };
}

/**
 * Walks keys [from, to) of the layout starting at byte `p` (where key `from`'s
 * comma is), recording each value's span in `starts`/`ends`. Returns the byte
 * after the last value, or -1 when the line is not written as the layout says.
 * One function with its loops inline: this runs for every byte of every line
 * a command uses, and calls per key or per string cost more than the bytes.
 * `strict` false finds a string's end without checking what is inside it
 * (escapes are still stepped over): for lines checked whole anyway.
 */
export function walkLayout(
  raw: Uint8Array,
  p: number,
  end: number,
  layout: Layout,
  from: number,
  to: number,
  starts: Int32Array,
  ends: Int32Array,
  strict = true,
): number {
  const seps = layout.seps;
  const sepAt = layout.sepAt;
  const kinds = layout.kinds;
  for (let k = from; k < to; k++) {
    const z = sepAt[k + 1]!;
    for (let j = sepAt[k]!; j < z; j++) {
      if (raw[p] !== seps[j]) return -1;
      p++;
    }
    if (p >= end) return -1;
    starts[k] = p;
    const b = raw[p]!;
    const kind = kinds[k]!;
    if (b === QUOTE && kind === STRING && !strict) {
      p++;
      for (;;) {
        while (p < end && raw[p] !== QUOTE && raw[p] !== BACKSLASH) p++;
        if (p >= end) return -1;
        if (raw[p] === QUOTE) break;
        p += 2;
      }
      p++;
    } else if (b === QUOTE && kind === STRING) {
      p++;
      for (;;) {
        if (p >= end) return -1;
        const c = raw[p]!;
        if (c === QUOTE) break;
        if (c === BACKSLASH) {
          p = escapeEnd(raw, p, end);
          if (p < 0) return -1;
        } else if (c < 32) return -1;
        else p++;
      }
      p++;
    } else if (kind === NUMBER && b !== 110) {
      p = numberEnd(raw, p, end);
      if (p < 0) return -1;
    } else {
      p = valueEnd(raw, p, end, kind);
      if (p < 0) return -1;
    }
    ends[k] = p;
  }
  return p;
}

/** End of the escape at `at` (a backslash) inside a string, or -1. */
function escapeEnd(raw: Uint8Array, at: number, end: number): number {
  const e = raw[at + 1];
  if (e === 117) {
    for (let k = 2; k < 6; k++) if (!isHex(raw[at + k])) return -1;
    return at + 6 < end ? at + 6 : -1;
  }
  const ok = e === QUOTE || e === BACKSLASH || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116;
  return ok && at + 2 < end ? at + 2 : -1;
}

/** True when bytes [at, at+4) spell `null`. */
function isNull(raw: Uint8Array, at: number): boolean {
  return raw[at] === 110 && raw[at + 1] === 117 && raw[at + 2] === 108 && raw[at + 3] === 108;
}

/**
 * End (exclusive) of the value of `kind` at `from`, before `end`; -1 when the
 * bytes are not such a value. The byte after it is not looked at.
 */
export function valueEnd(raw: Uint8Array, from: number, end: number, kind: number): number {
  const first = raw[from];
  if (first === 110) return isNull(raw, from) && from + 4 <= end ? from + 4 : -1;
  if (kind === STRING) return first === QUOTE ? stringEnd(raw, from, end) : -1;
  if (kind === NUMBER) return numberEnd(raw, from, end);
  if (kind === BOOL) {
    if (first === 116) return raw[from + 1] === 114 && raw[from + 2] === 117 && raw[from + 3] === 101 && from + 4 <= end ? from + 4 : -1;
    if (first === 102) {
      const ok = raw[from + 1] === 97 && raw[from + 2] === 108 && raw[from + 3] === 115 && raw[from + 4] === 101;
      return ok && from + 5 <= end ? from + 5 : -1;
    }
    return -1;
  }
  return first === 91 ? stringsEnd(raw, from, end) : -1;
}

/**
 * End of the JSON string opening at `from`: no raw control bytes, only valid
 * escapes. One byte loop: the strings of a log line are short, and the loop
 * doubles as the search for the closing quote.
 */
export function stringEnd(raw: Uint8Array, from: number, end: number): number {
  let i = from + 1;
  while (i < end) {
    const b = raw[i]!;
    if (b === QUOTE) return i + 1;
    if (b < 32) return -1;
    if (b === BACKSLASH) {
      i = escapeEnd(raw, i, end);
      if (i < 0) return -1;
    } else i++;
  }
  return -1;
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70));
}

function digitsEnd(raw: Uint8Array, i: number, end: number): number {
  const start = i;
  while (i < end && raw[i]! >= 48 && raw[i]! <= 57) i++;
  return i > start ? i : -1;
}

/** End of a JSON number (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`). */
export function numberEnd(raw: Uint8Array, from: number, end: number): number {
  let i = from;
  if (raw[i] === 45) i++;
  if (raw[i] === 48) i++;
  else if ((i = digitsEnd(raw, i, end)) < 0) return -1;
  if (raw[i] === 46 && i < end) {
    if ((i = digitsEnd(raw, i + 1, end)) < 0) return -1;
  }
  const e = raw[i];
  if ((e === 101 || e === 69) && i < end) {
    i++;
    if (raw[i] === 43 || raw[i] === 45) i++;
    if ((i = digitsEnd(raw, i, end)) < 0) return -1;
  }
  return i <= end ? i : -1;
}

/** End of an array of strings (or nulls) written without spaces. */
function stringsEnd(raw: Uint8Array, from: number, end: number): number {
  let i = from + 1;
  if (raw[i] === 93) return i + 1 <= end ? i + 1 : -1;
  for (;;) {
    i = raw[i] === QUOTE ? stringEnd(raw, i, end) : isNull(raw, i) ? i + 4 : -1;
    if (i < 0 || i >= end) return -1;
    const b = raw[i];
    if (b === 93) return i + 1;
    if (b !== COMMA) return -1;
    i++;
  }
}

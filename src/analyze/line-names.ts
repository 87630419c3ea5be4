import { Buffer } from "node:buffer";
import { SCHEMA, isEventType, typeId } from "../events/index.ts";
import { NUMBER, STRING, kindCode, layoutOf } from "./line-layout.ts";
import type { Layout } from "./line-layout.ts";

// Event names read from line bytes without allocating a string per line.

const FRAMING = new Set(["log_started", "log_ended"]);

/** log_started and log_ended frame a log file; they are not bus events. */
export function isFraming(name: string): boolean {
  return FRAMING.has(name);
}

const decoder = new TextDecoder();

/** A known event name's bytes and the layout its lines have: keys in the order written. */
export interface NameEntry {
  /** A plain Uint8Array: JSC indexes a Buffer, and reads its length, several times slower. */
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly known: boolean;
  /** The schema's type id (see events/schema.ts); the unknown id for names this build does not know. */
  readonly id: number;
  readonly layout: Layout;
  /** How many keys the layout has after the name. */
  readonly keyCount: number;
  readonly index: ReadonlyMap<string, number>;
  /** The key asked last and its index: callers ask for the same few keys line after line. */
  lastKey: string;
  lastIdx: number | undefined;
}
const NAME_CACHE = new Map<number, NameEntry[]>();
const KEY_CACHE = new Map<string, Buffer>();

export function keyBytes(key: string): Buffer {
  let bytes = KEY_CACHE.get(key);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(key) + ":");
    KEY_CACHE.set(key, bytes);
  }
  return bytes;
}

/** Names seen, by hash: a slot holds the last name with that hash's low bits (a handful of types alternate). */
const SLOTS: (NameEntry | undefined)[] = new Array<NameEntry | undefined>(256).fill(undefined);

/** The entry for the name in bytes [from, to) with hash `h`; a string is made only for a name not seen before. */
export function nameAt(buf: Uint8Array, from: number, to: number, h: number): NameEntry {
  const slot = h & 255;
  const cached = SLOTS[slot];
  if (cached !== undefined) {
    const bytes = cached.bytes;
    const n = bytes.length;
    if (n === to - from) {
      let i = 0;
      while (i < n && bytes[i] === buf[from + i]) i++;
      if (i === n) return cached;
    }
  }
  const entry = lookupName(buf, from, to, h);
  SLOTS[slot] = entry;
  return entry;
}

function lookupName(buf: Uint8Array, from: number, to: number, h: number): NameEntry {
  const bucket = NAME_CACHE.get(h);
  if (bucket !== undefined) {
    const n = to - from;
    for (let e = 0; e < bucket.length; e++) {
      const entry = bucket[e]!;
      const bytes = entry.bytes;
      if (bytes.length !== n) continue;
      let i = 0;
      while (i < n && bytes[i] === buf[from + i]) i++;
      if (i === n) return entry;
    }
  }
  const name = decoder.decode(buf.subarray(from, to));
  const known = isEventType(name);
  const fields = known ? SCHEMA[name].fields : [];
  const keys = known ? ["scan_id", ...fields.map(([k]) => k), "seq", "timestamp"] : [];
  const kinds = known ? [STRING, ...fields.map(([, kind]) => kindCode(kind)), NUMBER, STRING] : [];
  const entry: NameEntry = {
    bytes: buf.slice(from, to),
    name,
    known,
    id: typeId(name),
    layout: layoutOf(keys, kinds),
    keyCount: keys.length,
    index: new Map(keys.map((k, i) => [k, i])),
    lastKey: "",
    lastIdx: undefined,
  };
  if (bucket === undefined) NAME_CACHE.set(h, [entry]);
  else if (bucket.length < 8) bucket.push(entry);
  return entry;
}

/**
 * The name of a line in the encoder's shape (`{"event":"NAME",` checked by the
 * caller), read as LogLine.reset reads it; null for a name it would decode.
 */
export function nameOfLine(raw: Uint8Array, start: number, end: number): NameEntry | null {
  const from = start + 10;
  const limit = Math.min(end, from + 64);
  let h = 0;
  let i = from;
  for (; i < limit; i++) {
    const b = raw[i]!;
    if (b === 34 || b === 92) break;
    h = (h * 31 + b) | 0;
  }
  return i > from && i < limit && raw[i] === 34 ? nameAt(raw, from, i, h) : null;
}

/** True when the line starts with `{"event":"`; spelled out, it is the hottest test. */
export function hasPrefix(buf: Uint8Array, s: number): boolean {
  return (
    buf[s] === 123 && buf[s + 1] === 34 && buf[s + 2] === 101 && buf[s + 3] === 118 && buf[s + 4] === 101 &&
    buf[s + 5] === 110 && buf[s + 6] === 116 && buf[s + 7] === 34 && buf[s + 8] === 58 && buf[s + 9] === 34
  );
}


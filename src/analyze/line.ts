import { Buffer } from "node:buffer";
import { SCHEMA, isEventType, parseIsoTime } from "../events/index.ts";

// Reading a log line without JSON.parse where the contract makes a cheap check
// decisive: the encoder always writes `{"event":"NAME",` first and closes the
// object with `}`, and inside a JSON string every `"` is escaped, so the bytes
// `"key":` in a known event can only be that top-level key.

const QUOTE = 34;
const BACKSLASH = 92;
const FRAMING = new Set(["log_started", "log_ended"]);

export function isFraming(name: string): boolean {
  return FRAMING.has(name);
}

const decoder = new TextDecoder();
const NAME_CACHE = new Map<number, { bytes: Buffer; name: string; known: boolean }[]>();
const KEY_CACHE = new Map<string, Buffer>();

function keyBytes(key: string): Buffer {
  let bytes = KEY_CACHE.get(key);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(key) + ":");
    KEY_CACHE.set(key, bytes);
  }
  return bytes;
}

/** The event name for bytes [from, to) with hash `h`, without allocating a string for names seen before. */
function nameAt(buf: Buffer, from: number, to: number, h: number): { name: string; known: boolean } {
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
  const entry = { bytes: Buffer.from(buf.subarray(from, to)), name, known: isEventType(name) };
  if (bucket === undefined) NAME_CACHE.set(h, [entry]);
  else if (bucket.length < 8) bucket.push(entry);
  return entry;
}

/** True when the line starts with `{"event":"`; spelled out, it is the hottest test. */
function hasPrefix(buf: Buffer, s: number): boolean {
  return (
    buf[s] === 123 && buf[s + 1] === 34 && buf[s + 2] === 101 && buf[s + 3] === 118 && buf[s + 4] === 101 &&
    buf[s + 5] === 110 && buf[s + 6] === 116 && buf[s + 7] === 34 && buf[s + 8] === 58 && buf[s + 9] === 34
  );
}

/**
 * One line of a log, reused from line to line (copy what you keep). `name` is
 * the event name, or null when the line is not a JSON object with a string
 * "event" (a malformed line).
 */
export class LogLine {
  buf: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;
  source = "";
  lineNo = 0;
  name: string | null = null;
  /** True when the line has the encoder's shape and fields can be read from bytes. */
  private fast = false;
  private parsed: Record<string, unknown> | null | undefined = undefined;

  /** Point at a new line; decides `name`. */
  reset(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.parsed = undefined;
    this.fast = false;
    if (end - start > 12 && buf[end - 1] === 125 && hasPrefix(buf, start)) {
      let i = start + 10;
      let h = 0;
      const limit = Math.min(end, i + 64);
      for (; i < limit; i++) {
        const b = buf[i]!;
        if (b === QUOTE || b === BACKSLASH) break;
        h = (h * 31 + b) | 0;
      }
      if (i > start + 10 && i < limit && buf[i] === QUOTE) {
        const entry = nameAt(buf, start + 10, i, h);
        this.name = entry.name;
        this.fast = entry.known;
        return;
      }
    }
    const obj = this.object();
    this.name = obj !== null && typeof obj.event === "string" ? obj.event : null;
  }

  bytes(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  text(): string {
    return decoder.decode(this.bytes());
  }

  /** The whole line parsed, or null when it is not a JSON object. Parsed once per line. */
  object(): Record<string, unknown> | null {
    if (this.parsed === undefined) {
      try {
        const v: unknown = JSON.parse(this.text());
        this.parsed = typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
      } catch {
        this.parsed = null;
      }
    }
    return this.parsed;
  }

  /** A top-level field's value; `undefined` when absent. Read from bytes for known events. */
  field(key: string): unknown {
    if (this.fast && hasField(this.name!, key)) {
      const span = this.span(key);
      if (span !== null) return valueOf(this.buf, span[0], span[1]);
    }
    return this.object()?.[key];
  }

  /** A value by dotted path (`san.0`, `extra.a`); top-level keys take the fast road. */
  path(keys: readonly string[]): unknown {
    if (keys.length === 1) return this.field(keys[0]!);
    let v: unknown = this.object();
    for (const k of keys) {
      if (typeof v !== "object" || v === null) return undefined;
      v = (v as Record<string, unknown>)[k];
    }
    return v;
  }

  /** The ISO timestamp text, or null. */
  timestampText(): string | null {
    const v = this.field("timestamp");
    return typeof v === "string" ? v : null;
  }

  /** Epoch ms of the timestamp, or NaN. */
  time(): number {
    const t = this.timestampText();
    return t === null ? Number.NaN : parseIsoTime(t);
  }

  private span(key: string): [number, number] | null {
    const k = keyBytes(key);
    const at = this.buf.indexOf(k, this.start);
    if (at < 0 || at >= this.end) return null;
    const from = at + k.length;
    let to = from;
    if (this.buf[from] === QUOTE) {
      to = from + 1;
      for (;;) {
        const q = this.buf.indexOf(QUOTE, to);
        if (q < 0 || q >= this.end) return null;
        let slashes = 0;
        while (this.buf[q - 1 - slashes] === BACKSLASH) slashes++;
        to = q + 1;
        if (slashes % 2 === 0) break;
      }
    } else if (this.buf[from] === 91) {
      const close = this.buf.indexOf(93, from);
      if (close < 0 || close >= this.end) return null;
      to = close + 1;
    } else {
      while (to < this.end && this.buf[to] !== 44 && this.buf[to] !== 125) to++;
    }
    return [from, to];
  }
}

const FIELD_SETS = new Map<string, Set<string>>();
function hasField(event: string, key: string): boolean {
  let set = FIELD_SETS.get(event);
  if (set === undefined) {
    set = new Set(["event", "scan_id", "seq", "timestamp"]);
    if (isEventType(event)) for (const [name] of SCHEMA[event].fields) set.add(name);
    FIELD_SETS.set(event, set);
  }
  return set.has(key);
}

function valueOf(buf: Buffer, from: number, to: number): unknown {
  const first = buf[from];
  if (first === QUOTE) {
    for (let i = from + 1; i < to - 1; i++) {
      if (buf[i] === BACKSLASH) return JSON.parse(decoder.decode(buf.subarray(from, to)));
    }
    return decoder.decode(buf.subarray(from + 1, to - 1));
  }
  if (first === 110) return null; // null
  if (first === 116) return true;
  if (first === 102) return false;
  if (first === 91) return JSON.parse(decoder.decode(buf.subarray(from, to)));
  return Number(buf.toString("latin1", from, to));
}

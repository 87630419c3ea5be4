import { Buffer } from "node:buffer";
import { parseIsoTime, typeId } from "../events/index.ts";
import { BytePattern } from "./byte-pattern.ts";
import { hasPrefix, keyBytes, nameAt } from "./line-names.ts";
import { walkLayout } from "./line-layout.ts";
import { valueOf } from "./line-value.ts";
import type { NameEntry } from "./line-names.ts";

export { isFraming } from "./line-names.ts";

// Reading a log line without JSON.parse where the contract makes a cheap check
// decisive: the encoder always writes `{"event":"NAME",` first and closes the
// object with `}`, and inside a JSON string every `"` is escaped, so the bytes
// `"key":` in a known event can only be that top-level key.

const QUOTE = 34;
const BACKSLASH = 92;
const UNKNOWN_ID = typeId("");
const decoder = new TextDecoder();

/**
 * One line of a log, reused from line to line (copy what you keep). `name` is
 * the event name, or null when the line is not a JSON object with a string
 * "event" (a malformed line).
 */
export class LogLine {
  buf: Buffer = Buffer.alloc(0);
  /** The same bytes as a plain Uint8Array: JSC indexes it faster than a Buffer. */
  raw: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
  source = "";
  lineNo = 0;
  name: string | null = null;
  /** The event's type id (events/schema.ts order), so callers can switch on a number. */
  typeId = 0;
  /** True when the line has the encoder's shape and fields can be read from bytes. */
  private fast = false;
  private parsed: Record<string, unknown> | null | undefined = undefined;
  /**
   * Field reads need not look inside strings: set by a reader that checks
   * every line it uses whole (kept-lines.ts), so a read is never the last word.
   */
  looseFields = false;
  /** wellFormed(): 0 not asked yet, 1 yes, 2 no. */
  private checked = 0;

  /** Point at a new line; decides `name`. */
  reset(buf: Buffer, raw: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.raw = raw;
    this.start = start;
    this.end = end;
    this.parsed = undefined;
    this.fast = false;
    this.checked = 0;
    // Only the start and the end are looked at here: a damaged middle (a torn
    // line with the next one appended, garbage) is found by wellFormed().
    if (end - start > 12 && raw[end - 1] === 125 && hasPrefix(raw, start)) {
      // Runs of one type are the rule: try the previous line's name before scanning.
      const last = this.entry;
      if (last !== null) {
        const bytes = last.bytes;
        const n = bytes.length;
        const from = start + 10;
        let k = 0;
        while (k < n && raw[from + k] === bytes[k]) k++;
        if (k === n && raw[from + n] === QUOTE) {
          this.setName(last, from + n);
          return;
        }
      }
      let i = start + 10;
      let h = 0;
      const limit = Math.min(end, i + 64);
      for (; i < limit; i++) {
        const b = raw[i]!;
        if (b === QUOTE || b === BACKSLASH) break;
        h = (h * 31 + b) | 0;
      }
      if (i > start + 10 && i < limit && raw[i] === QUOTE) {
        this.setName(nameAt(raw, start + 10, i, h), i);
        return;
      }
    }
    const obj = this.object();
    this.name = obj !== null && typeof obj.event === "string" ? obj.event : null;
    this.typeId = this.name === null ? UNKNOWN_ID : typeId(this.name);
  }

  private setName(entry: NameEntry, nameEnd: number): void {
    this.name = entry.name;
    this.typeId = entry.id;
    this.fast = entry.known;
    this.entry = entry;
    this.nameEnd = nameEnd;
    this.walked = 0;
    this.walkPos = nameEnd + 1;
    this.broken = false;
  }

  /**
   * True when the whole line is a JSON object: a known event's layout walked
   * value by value to its closing brace, anything else (or a layout that
   * surprised the walk) parsed. Checked once per line, only when asked, so
   * commands pay for it on the lines they use.
   */
  wellFormed(): boolean {
    if (this.checked === 0) this.checked = this.check() ? 1 : 2;
    return this.checked === 1;
  }

  /** The caller checked the whole line already (json-check.ts): wellFormed() is true. */
  checkedWellFormed(): void {
    this.checked = 1;
  }

  private check(): boolean {
    if (this.fast) {
      if (this.looseFields) {
        // Fields read so far were walked without looking inside strings: walk again, looking.
        this.walked = 0;
        this.walkPos = this.nameEnd + 1;
        this.broken = false;
      }
      if (this.walkTo(this.entry!.keyCount, true) && this.walkPos === this.end - 1) return true;
      // Not as the encoder writes it: JSON decides, and fields come from the parsed object.
      this.fast = false;
    }
    const obj = this.object();
    return obj !== null && obj.event === this.name;
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
    if (this.fast) {
      const from = this.spanOf(key);
      if (from >= 0) return valueOf(this.buf, this.raw, from, this.spanEnd);
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

  /** End of the value found by the last `spanOf`. */
  private spanEnd = 0;
  private entry: NameEntry | null = null;
  // Value spans of the first `walked` keys of the layout, found walking the line once.
  private walked = 0;
  private walkPos = 0;
  private broken = false;
  private readonly starts = new Int32Array(32);
  private readonly ends = new Int32Array(32);
  private nameEnd = 0;
  private idBytes: Uint8Array = new Uint8Array(0);
  private idText = "";

  /** The scan_id, read at its fixed place after the name and reused while the bytes repeat. */
  scanId(): string | null {
    if (this.fast) {
      const from = this.nameEnd + 13; // `","scan_id":"`
      const buf = this.raw;
      if (buf[this.nameEnd + 3] === 115 && buf[this.nameEnd + 11] === 58 && buf[from - 1] === QUOTE) {
        let to = from;
        while (to < this.end && buf[to] !== QUOTE) to++;
        const cached = this.idBytes;
        const n = to - from;
        if (n === cached.length) {
          let i = 0;
          while (i < n && cached[i] === buf[from + i]) i++;
          if (i === n) return this.idText;
        }
        this.idBytes = this.buf.slice(from, to);
        this.idText = decoder.decode(this.idBytes);
        return this.idText;
      }
    }
    const v = this.field("scan_id");
    return typeof v === "string" ? v : null;
  }

  /** True when a known event's string field is exactly `expected` (ASCII), compared as bytes. */
  fieldIs(key: string, expected: Uint8Array): boolean {
    if (this.fast) {
      const from = this.spanOf(key);
      if (from >= 0) {
        const n = expected.length;
        if (this.spanEnd - from !== n + 2) return false;
        for (let i = 0; i < n; i++) if (this.raw[from + 1 + i] !== expected[i]) return false;
        return true;
      }
    }
    return this.field(key) === decoder.decode(expected);
  }

  /**
   * For known events, whether the line contains the pattern (a top-level
   * `"key":value`, which no string value can contain unescaped); null otherwise.
   */
  has(patterns: readonly BytePattern[]): boolean | null {
    if (!this.fast) return null;
    for (let i = 0; i < patterns.length; i++) if (patterns[i]!.within(this.buf, this.start, this.end)) return true;
    return false;
  }

  /** Copies the 24 bytes of the line's ISO timestamp into `into`; false when there is none. */
  copyTimestamp(into: Uint8Array): boolean {
    const end = this.end;
    const buf = this.raw;
    // Known events end with `"timestamp":"YYYY-MM-DDTHH:MM:SS.mmmZ"}`.
    if (this.fast && buf[end - 2] === QUOTE && buf[end - 27] === QUOTE && buf[end - 28] === 58 && buf[end - 29] === QUOTE) {
      for (let i = 0; i < 24; i++) into[i] = buf[end - 26 + i]!;
      return true;
    }
    const t = this.timestampText();
    if (t === null || t.length !== 24) return false;
    for (let i = 0; i < 24; i++) into[i] = t.charCodeAt(i);
    return true;
  }

  /** Start of the value of top-level `key` (its end in spanEnd), or -1. */
  private spanOf(key: string): number {
    const entry = this.entry!;
    let idx = entry.lastIdx;
    if (key !== entry.lastKey) {
      idx = entry.index.get(key);
      entry.lastKey = key;
      entry.lastIdx = idx;
    }
    if (idx === undefined) return -1;
    if (this.walked > idx || this.walkTo(idx + 1)) {
      this.spanEnd = this.ends[idx]!;
      return this.starts[idx]!;
    }
    return this.searchSpan(key);
  }

  /** Walks the layout on to key `upto` (exclusive); false when the line is not laid out as expected. */
  private walkTo(upto: number, strict = !this.looseFields): boolean {
    if (this.broken) return false;
    const p = walkLayout(this.raw, this.walkPos, this.end, this.entry!.layout, this.walked, upto, this.starts, this.ends, strict);
    if (p < 0) {
      this.broken = true;
      return false;
    }
    this.walked = upto;
    this.walkPos = p;
    return true;
  }

  /** A line whose layout surprised the walk: find the key by its bytes. */
  private searchSpan(key: string): number {
    const k = keyBytes(key);
    const buf = this.raw;
    const at = this.buf.indexOf(k, this.start);
    if (at < 0 || at >= this.end) return -1;
    const from = at + k.length;
    let to = from;
    if (buf[from] === QUOTE) {
      to = from + 1;
      for (;;) {
        while (to < this.end && buf[to] !== QUOTE) to++;
        if (to >= this.end) return -1;
        let slashes = 0;
        while (buf[to - 1 - slashes] === BACKSLASH) slashes++;
        to++;
        if (slashes % 2 === 0) break;
      }
    } else if (buf[from] === 91) {
      const close = buf.indexOf(93, from);
      if (close < 0 || close >= this.end) return -1;
      to = close + 1;
    } else {
      while (to < this.end && buf[to] !== 44 && buf[to] !== 125) to++;
    }
    this.spanEnd = to;
    return from;
  }
}

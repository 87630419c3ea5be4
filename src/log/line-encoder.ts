import { SCHEMA, encodeEvent, isoTime, typeId } from "../events/index.ts";
import type { AnyEvent, FieldKind, PortFound } from "../events/index.ts";

// encodeEvent() builds a string per line; turning millions of those into bytes
// costs more than the rest of the logger together. This writes the same bytes
// straight into a Uint8Array: keys are pre-encoded per type, plain ASCII values
// are copied char by char, anything else goes through JSON.stringify exactly as
// encodeEvent does. The tests hold it byte-equal to encodeEvent().

const utf8 = new TextEncoder();

function ascii(text: string): Uint8Array {
  return utf8.encode(text);
}

interface TypePlan {
  /** `{"event":"PortFound","scan_id":` */
  readonly head: Uint8Array;
  /** `,"target":` etc., one per field. */
  readonly keys: readonly Uint8Array[];
  readonly names: readonly string[];
  readonly kinds: readonly FieldKind[];
  /** PortFound and IPv6PortFound: same fields, written by portFields(). */
  readonly port: boolean;
}

const PLANS: TypePlan[] = Object.entries(SCHEMA).map(([event, spec]) => ({
  head: ascii(`{"event":"${event}","scan_id":`),
  keys: spec.fields.map(([name]) => ascii(`,"${name}":`)),
  names: spec.fields.map(([name]) => name),
  kinds: spec.fields.map(([, kind]) => kind),
  port: spec.fields === SCHEMA.PortFound.fields,
}));
const PORT_KEY = ascii(`,"port":`);

const SEQ_KEY = ascii(`,"seq":`);
const NULL = ascii("null");
const TRUE = ascii("true");
const FALSE = ascii("false");
const NEWLINE = 10;
/** "00" "01" … "99" as byte pairs. */
const PAIRS = new Uint8Array(200).map((_, i) => 48 + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));
/** The longest line the fast path may write before it checks space: bigger lines take the slow path. */
const FAST_LINE_MAX = 4096;
const PLAIN_STRING_MAX = 512;
const FIELD_MAX = 640;
/** Buffers kept for reuse: enough for the chunks in flight to the disk at a time. */
const MAX_SPARES = 32;
/** isoTime() has a fixed width only for years 0000-9999. */
const MAX_FOUR_DIGIT_YEAR_MS = Date.UTC(10000, 0, 1);

/**
 * Encodes events as log lines (each ending in "\n") into a growable byte buffer.
 * `take()` hands out the bytes written so far and starts a fresh buffer.
 */
export class LineEncoder {
  private buf: Uint8Array;
  private pos = 0;
  private readonly spares: Uint8Array[] = [];
  private cachedSecond = Number.NaN;
  private readonly tsPrefix = new Uint8Array(34); // `,"timestamp":"YYYY-MM-DDTHH:MM:SS.`
  private cachedScanId = "";
  private lastType = "";
  private lastPlan: TypePlan | undefined;
  private scanIdBytes: Uint8Array = ascii('""');
  // Port events: the bytes before the target and those between the port and the
  // seq are the same line after line; they are encoded once and copied whole.
  private headEvent = "";
  private headScanId: unknown = undefined;
  private headBytes: Uint8Array = new Uint8Array(0);
  private midProtocol: unknown = undefined;
  private midState: unknown = undefined;
  private midReason: unknown = undefined;
  private midBytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly chunkSize = 256 * 1024) {
    this.buf = new Uint8Array(chunkSize);
  }

  /** Bytes encoded and not yet taken. */
  get length(): number {
    return this.pos;
  }

  /** True when the next line may not fit: take() now, and the buffer is reused rather than grown and copied. */
  get full(): boolean {
    return this.pos > this.chunkSize - FAST_LINE_MAX;
  }

  /** Appends one event's line; returns its length in bytes, newline included. */
  encode(e: AnyEvent): number {
    const start = this.pos;
    if (e.event !== this.lastType) {
      this.lastType = e.event;
      this.lastPlan = PLANS[typeId(e.event)];
    }
    const plan = this.lastPlan;
    const ts = e.timestamp;
    if (plan === undefined || typeof ts !== "number" || !(ts >= 0 && ts < MAX_FOUR_DIGIT_YEAR_MS)) {
      return this.appendLine(encodeEvent(e));
    }
    this.reserve(FAST_LINE_MAX);
    if (plan.port && this.portLine(e as PortFound)) {
      this.timestamp(ts);
      this.buf[this.pos++] = NEWLINE;
      return this.pos - start;
    }
    const record = e as unknown as Record<string, unknown>;
    this.bytes(plan.head);
    this.scanId(e.scan_id);
    for (let i = 0; i < plan.keys.length; i++) {
      // Each field adds at most FIELD_MAX bytes on the fast path; text() reserves for itself.
      if (this.pos - start > FAST_LINE_MAX - FIELD_MAX) {
        this.pos = start;
        return this.appendLine(encodeEvent(e));
      }
      this.bytes(plan.keys[i]!);
      this.value(record[plan.names[i]!], plan.kinds[i]!);
    }
    this.reserve(FIELD_MAX);
    this.bytes(SEQ_KEY);
    this.number(e.seq as number);
    this.timestamp(ts);
    this.buf[this.pos++] = NEWLINE;
    return this.pos - start;
  }

  /** Appends a line built elsewhere (framing lines, unknown events); adds the newline. */
  appendLine(line: string): number {
    const start = this.pos;
    this.reserve(line.length * 3 + 1);
    this.pos += utf8.encodeInto(line, this.buf.subarray(this.pos)).written;
    this.buf[this.pos++] = NEWLINE;
    return this.pos - start;
  }

  /**
   * The encoded bytes, handed over: the encoder goes on in a spare buffer. Give
   * the bytes back with `recycle()` once written, so a long run reuses a few
   * buffers instead of allocating (and zeroing) one per chunk.
   */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.pos = 0;
    this.buf = this.spares.pop() ?? new Uint8Array(this.chunkSize);
    return out;
  }

  /** Bytes from `take()` that nothing reads any more. */
  recycle(bytes: Uint8Array): void {
    const whole = bytes.buffer;
    if (bytes.byteOffset !== 0 || whole.byteLength !== this.chunkSize || this.spares.length >= MAX_SPARES) return;
    this.spares.push(new Uint8Array(whole));
  }

  /** Forgets everything encoded after `length` bytes (a line that goes to the next file instead). */
  truncate(length: number): void {
    if (length < 0 || length > this.pos) throw new RangeError(`cannot truncate ${this.pos} encoded bytes to ${length}`);
    this.pos = length;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }

  private bytes(b: Uint8Array): void {
    const n = b.length;
    if (n > 48) {
      this.buf.set(b, this.pos);
      this.pos += n;
      return;
    }
    // A native set() call costs more than copying a short key by hand.
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  /**
   * The hot path of a scan: a port event up to and including its seq, from two
   * cached segments, the target and two numbers. False (nothing written) when a
   * field is not what the fast path handles; the generic path takes it then.
   */
  private portLine(e: PortFound): boolean {
    const target = e.target;
    const port = e.port;
    const seq = e.seq;
    if (typeof target !== "string" || (port | 0) !== port || port < 0 || typeof seq !== "number" || (seq | 0) !== seq || seq < 0) {
      return false;
    }
    if (e.event !== this.headEvent || e.scan_id !== this.headScanId) {
      if (typeof e.scan_id !== "string") return false;
      this.headBytes = ascii(`{"event":"${e.event}","scan_id":${JSON.stringify(e.scan_id)},"target":`);
      this.headEvent = e.event;
      this.headScanId = e.scan_id;
    }
    if (e.protocol !== this.midProtocol || e.state !== this.midState || e.reason !== this.midReason) {
      if (typeof e.protocol !== "string" || typeof e.state !== "string" || typeof e.reason !== "string") return false;
      this.midBytes = ascii(
        `,"protocol":${JSON.stringify(e.protocol)},"state":${JSON.stringify(e.state)},"reason":${JSON.stringify(e.reason)},"seq":`,
      );
      this.midProtocol = e.protocol;
      this.midState = e.state;
      this.midReason = e.reason;
    }
    if (this.headBytes.length + this.midBytes.length > FAST_LINE_MAX - FIELD_MAX * 2) return false;
    const start = this.pos;
    this.segment(this.headBytes);
    if (!this.plainString(target)) {
      this.pos = start;
      return false;
    }
    this.bytes(PORT_KEY);
    this.number(port);
    this.segment(this.midBytes);
    this.number(seq);
    return true;
  }

  /** A long constant run: one native copy. */
  private segment(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  private scanId(id: unknown): void {
    if (id !== this.cachedScanId || typeof id !== "string") {
      const bytes = ascii(String(JSON.stringify(id)));
      if (typeof id === "string" && bytes.length <= PLAIN_STRING_MAX) {
        this.scanIdBytes = bytes;
        this.cachedScanId = id;
      } else {
        this.text(String(JSON.stringify(id)));
        return;
      }
    }
    this.bytes(this.scanIdBytes);
  }

  private value(v: unknown, kind: FieldKind): void {
    if (v === null || v === undefined) return this.bytes(NULL);
    if (kind === "n") {
      if (typeof v === "number" && Number.isFinite(v)) this.number(v);
      else this.bytes(NULL);
      return;
    }
    if (kind === "b") return this.bytes(v ? TRUE : FALSE);
    if (typeof v === "string" && this.plainString(v)) return;
    this.text(JSON.stringify(v));
  }

  /** Writes `"v"` when v needs no escaping and is ASCII; false (nothing written) otherwise. */
  private plainString(v: string): boolean {
    const n = v.length;
    if (n > PLAIN_STRING_MAX) return false;
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) return false;
      buf[p++] = c;
    }
    buf[p++] = 34;
    this.pos = p;
    return true;
  }

  private text(s: string): void {
    this.reserve(s.length * 3);
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  private number(v: number): void {
    if ((v | 0) === v && v >= 0 && !Object.is(v, -0)) {
      // Int32 arithmetic and two digits a step: this runs twice per line.
      const digits = v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
      const b = this.buf;
      const end = this.pos + digits;
      let p = end;
      let x = v;
      while (x >= 100) {
        const q = (x / 100) | 0;
        const r = (x - q * 100) << 1;
        b[--p] = PAIRS[r + 1]!;
        b[--p] = PAIRS[r]!;
        x = q;
      }
      if (x >= 10) {
        b[--p] = PAIRS[(x << 1) + 1]!;
        b[--p] = PAIRS[x << 1]!;
      } else b[--p] = 48 + x;
      this.pos = end;
      return;
    }
    this.text(String(v));
  }

  private timestamp(ts: number): void {
    const ms = Math.floor(ts);
    const second = Math.floor(ms / 1000);
    if (second !== this.cachedSecond) {
      const iso = isoTime(second * 1000); // "YYYY-MM-DDTHH:MM:SS.000Z"
      utf8.encodeInto(`,"timestamp":"${iso.slice(0, 20)}`, this.tsPrefix);
      this.cachedSecond = second;
    }
    this.segment(this.tsPrefix);
    const frac = ms - second * 1000;
    const b = this.buf;
    b[this.pos++] = 48 + Math.floor(frac / 100);
    b[this.pos++] = 48 + (Math.floor(frac / 10) % 10);
    b[this.pos++] = 48 + (frac % 10);
    b[this.pos++] = 90; // Z
    b[this.pos++] = 34; // "
    b[this.pos++] = 125; // }
  }
}

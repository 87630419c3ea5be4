import { Buffer } from "node:buffer";
import { SCHEMA, isEventType } from "../events/index.ts";
import { BytePattern } from "./byte-pattern.ts";
import type { FilterSpec, WhereClause } from "./filter-spec.ts";
import { hasPrefix } from "./line-names.ts";

/** Not the line's event (or a plain clause fails): pass over it. */
export const REJECT = 0;
/** The line passes the whole spec, decided from its bytes. */
export const ACCEPT = 1;
/** Read the line (LogLine) and test it. */
export const ASK = 2;
export type Verdict = typeof REJECT | typeof ACCEPT | typeof ASK;

/** A line's verdict from its bytes alone: no LogLine, no strings. */
export interface Prefilter {
  (buf: Buffer, raw: Uint8Array, start: number, end: number): Verdict;
  /**
   * Bytes every kept line contains (a plain `=` clause's) when the line is in
   * the encoder's shape: a reader may reject such lines without them unread,
   * jumping from one occurrence to the next.
   */
  readonly guide?: BytePattern;
}

/** In the encoder's shape (`{"event":"NAME"...}`, the name without escapes): what a guide may pass over. */
export function inEncoderShape(raw: Uint8Array, start: number, end: number): boolean {
  if (end - start <= 12 || raw[end - 1] !== 125 || !hasPrefix(raw, start)) return false;
  for (let i = start + 10; i < end; i++) {
    const b = raw[i];
    if (b === QUOTE) return true;
    if (b === BACKSLASH) return false;
  }
  return false;
}

const QUOTE = 34;
const BACKSLASH = 92;
// Plain Uint8Arrays, not Buffers: JSC indexes a Buffer, and reads its length, several times slower.
const encoder = new TextEncoder();
const FRAMING = ["log_started", "log_ended"].map((n) => encoder.encode(n));

/** Keys some known event writes as an array of strings. */
const ARRAY_KEYS = new Set(Object.values(SCHEMA).flatMap((t) => t.fields.filter(([, kind]) => kind === "sa").map(([k]) => k)));

/**
 * For `key=value` and `key!=value` on a top-level key, the bytes the encoder
 * writes when the value holds (`"state":"Open"`, or `"port":22` then `,` or `}`),
 * so lines are tested without decoding them. Values that might need escaping,
 * or numbers in other spellings, take the decoding road.
 */
export function plainPatternsOf(where: readonly WhereClause[] | undefined): (BytePattern[] | undefined)[] {
  return (where ?? []).map((c) => {
    // An array field (san) holds when any element does: its bytes are not `"key":"value"`.
    if ((c.op !== "=" && c.op !== "!=") || c.path.length !== 1 || ARRAY_KEYS.has(c.path[0]!)) return undefined;
    const key = JSON.stringify(c.path[0]);
    if (c.quoted) return /^[A-Za-z0-9_.:\/ +-]*$/.test(c.value) ? [new BytePattern(Buffer.from(`${key}:"${c.value}"`))] : undefined;
    if (/^(0|[1-9]\d{0,14})$/.test(c.value)) {
      return [new BytePattern(Buffer.from(`${key}:${c.value},`)), new BytePattern(Buffer.from(`${key}:${c.value}}`))];
    }
    if (/^(true|false|null)$/.test(c.value) || !/^[A-Za-z0-9_.:\/ +-]*$/.test(c.value)) return undefined;
    return [new BytePattern(Buffer.from(`${key}:"${c.value}"`))];
  });
}

/** True when the name at `from` (after `{"event":"`) is exactly `name` followed by its closing quote. */
function nameIs(raw: Uint8Array, from: number, name: Uint8Array): boolean {
  const n = name.length;
  for (let k = 0; k < n; k++) if (raw[from + k] !== name[k]) return false;
  return raw[from + n] === QUOTE;
}

/**
 * Decides from a line's bytes what compileLineFilter would decide, where the
 * bytes suffice: the event name (encoder lines start `{"event":"NAME"`) and
 * plain `=`/`!=` clauses on known events. Most lines of a selective filter are
 * passed over this way at a few byte compares each. Lines not in the encoder's
 * shape, or needing a field's value, are ASKed about.
 */
export function compilePrefilter(spec: FilterSpec): Prefilter {
  const { events, where } = spec;
  const wanted = events === undefined ? null : [...events].map((e) => encoder.encode(e));
  const allKnown = events !== undefined && [...events].every(isEventType);
  const patterns = plainPatternsOf(where);
  const plain = patterns.map((p, i) => (p === undefined ? null : { patterns: p, equal: where![i]!.op === "=" }));
  const decided = plain.every((p) => p !== null);
  const needsFields = spec.scanId !== undefined || spec.since !== undefined || spec.until !== undefined || spec.targets !== undefined || spec.ports !== undefined || !decided;
  const usable = plain.filter((p) => p !== null);
  const guide = allKnown ? usable.find((p) => p.equal && p.patterns.length === 1)?.patterns[0] : undefined;
  const test = (buf: Buffer, raw: Uint8Array, start: number, end: number): Verdict => {
    if (end - start <= 12 || raw[end - 1] !== 125 || !hasPrefix(raw, start)) return ASK;
    const from = start + 10;
    if (wanted === null) {
      // Everything but framing (log_started, log_ended). A name starting with
      // neither `l` nor an escape cannot be one; otherwise an escape anywhere
      // in it leaves the name to LogLine.
      const first = raw[from];
      if (first === 108 || first === BACKSLASH) {
        for (let i = from; i < end && raw[i] !== QUOTE; i++) if (raw[i] === BACKSLASH) return ASK;
        for (const f of FRAMING) if (nameIs(raw, from, f)) return REJECT;
      }
    } else {
      let found = false;
      for (let w = 0; w < wanted.length && !found; w++) found = nameIs(raw, from, wanted[w]!);
      if (!found) {
        // An escaped spelling of a wanted name is still that name.
        for (let i = from; i < end && raw[i] !== QUOTE; i++) if (raw[i] === BACKSLASH) return ASK;
        return REJECT;
      }
    }
    if (usable.length > 0) {
      // The patterns stand for their clauses only in lines laid out as known events write them.
      if (!allKnown) return ASK;
      for (const p of usable) {
        let present = false;
        for (let k = 0; k < p.patterns.length && !present; k++) present = p.patterns[k]!.within(buf, start, end);
        if (present !== p.equal) return REJECT;
      }
    }
    return needsFields ? ASK : ACCEPT;
  };
  return guide === undefined ? test : Object.assign(test, { guide });
}

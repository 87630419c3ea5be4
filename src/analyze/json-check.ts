// Is a line one flat JSON object (string, number, true/false/null and
// string-array values, no whitespace), as the encoder writes every line? A
// byte-at-a-time state machine answers for every byte of the line, so a line
// with a plausible start and end but damage in the middle is caught. Lines it
// rejects may still be JSON (whitespace, nested objects): the caller asks
// JSON.parse about those, so this only ever speeds up the common case.
//
// Why a table: one load per byte and no branches. A state machine is latency
// bound (each step waits for the previous state), so four lines are stepped
// side by side, which the CPU overlaps: ~4x the throughput of one at a time.

// State 0 is the error state: every entry of its row leads back to it.
let states = 1;
const next = () => states++;
const START = next();
const END = next();
/** table[(state << 8) | byte] = next state << 8 (pre-shifted: one OR per step). */
const table = new Uint16Array(64 << 8);

function on(from: number, bytes: string | readonly number[], to: number): void {
  if (typeof bytes === "string") for (let i = 0; i < bytes.length; i++) table[(from << 8) | bytes.charCodeAt(i)] = to << 8;
  else for (let i = 0; i < bytes.length; i++) table[(from << 8) | bytes[i]!] = to << 8;
}
// Built once at start-up, when the code runs unoptimised: plain loops, not callbacks.
function range(a: number, b: number): number[] {
  const list: number[] = [];
  for (let x = a; x <= b; x++) list.push(x);
  return list;
}
const DIGITS = range(48, 57);
const HEX = [...DIGITS, ...range(65, 70), ...range(97, 102)];

/** A JSON string's states (entered after its opening quote), leaving to `after`. */
function string(after: number): number {
  const body = next();
  const escape = next();
  const hex = [next(), next(), next(), next()] as const;
  on(body, range(32, 255), body);
  on(body, '"', after);
  on(body, "\\", escape);
  on(escape, '"\\/bfnrt', body);
  on(escape, "u", hex[0]);
  on(hex[0], HEX, hex[1]);
  on(hex[1], HEX, hex[2]);
  on(hex[2], HEX, hex[3]);
  on(hex[3], HEX, body);
  return body;
}

/** `true`, `false` or `null` after its first letter, leaving to `after`. */
function literal(word: string, after: number): number {
  const steps = [...word.slice(1)].map(() => next());
  steps.forEach((s, i) => on(s, word[i + 1]!, steps[i + 1] ?? after));
  return steps[0]!;
}

const keyStart = next();
const colon = next();
const value = next();
const afterValue = next();
const key = string(colon);
const open = next();
on(START, "{", open);
on(open, '"', key);
on(open, "}", END);
on(keyStart, '"', key);
on(colon, ":", value);
on(value, '"', string(afterValue));
on(value, "t", literal("true", afterValue));
on(value, "f", literal("false", afterValue));
on(value, "n", literal("null", afterValue));
on(afterValue, ",", keyStart);
on(afterValue, "}", END);

// Numbers: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? then `,` or `}`.
{
  const minus = next();
  const zero = next();
  const int = next();
  const dot = next();
  const frac = next();
  const exp = next();
  const expSign = next();
  const expDigits = next();
  on(value, "-", minus);
  on(value, "0", zero);
  on(value, range(49, 57), int);
  on(minus, "0", zero);
  on(minus, range(49, 57), int);
  on(int, DIGITS, int);
  for (const s of [zero, int]) on(s, ".", dot);
  for (const s of [zero, int, frac]) on(s, "eE", exp);
  on(dot, DIGITS, frac);
  on(frac, DIGITS, frac);
  on(exp, "+-", expSign);
  on(exp, DIGITS, expDigits);
  on(expSign, DIGITS, expDigits);
  on(expDigits, DIGITS, expDigits);
  for (const s of [zero, int, frac, expDigits]) {
    on(s, ",", keyStart);
    on(s, "}", END);
  }
}

// Arrays of strings or nulls.
{
  const arrayOpen = next();
  const item = next();
  const afterItem = next();
  on(value, "[", arrayOpen);
  on(arrayOpen, "]", afterValue);
  for (const s of [arrayOpen, item]) {
    on(s, '"', string(afterItem));
    on(s, "n", literal("null", afterItem));
  }
  on(afterItem, ",", item);
  on(afterItem, "]", afterValue);
}

if (states > 64) throw new Error("json-check: too many states");
const S = START << 8;
const E = END << 8;

/** True when bytes [start, end) are one flat JSON object as described above. */
export function isFlatObject(raw: Uint8Array, start: number, end: number): boolean {
  let s = S;
  for (let i = start; i < end; i++) s = table[s | raw[i]!]!;
  return s === E;
}

// Two bytes per step. Bytes that every state treats alike form a class (~20);
// a step looks up the class pair of a 16-bit word, then the state after both
// bytes: three loads per two bytes instead of four, and half the chain of
// dependent loads, which is what bounds a state machine.
const byteClass = new Uint8Array(256);
let classes = 0;
{
  // Bytes whose columns of the table are equal share a class (found by a hash of the column, then compared).
  const byHash = new Map<number, number[]>();
  const firstOf: number[] = [];
  for (let b = 0; b < 256; b++) {
    let h = 0;
    for (let st = 0; st < states; st++) h = (Math.imul(h, 31) + table[(st << 8) | b]!) | 0;
    const candidates = byHash.get(h) ?? [];
    let c = -1;
    for (const k of candidates) {
      const a = firstOf[k]!;
      let st = 0;
      while (st < states && table[(st << 8) | a] === table[(st << 8) | b]) st++;
      if (st === states) c = k;
    }
    if (c < 0) {
      c = classes++;
      firstOf[c] = b;
      candidates.push(c);
      byHash.set(h, candidates);
    }
    byteClass[b] = c;
  }
}
const STRIDE = classes * classes;
if (states * STRIDE > 65535) throw new Error("json-check: pair table too large");
/** pair[state * STRIDE + c1 * classes + c2] = state after both bytes, times STRIDE. */
const pair = new Uint16Array(states * STRIDE);
/** single[state * STRIDE + c] = state after one byte, times STRIDE. */
const single = new Uint16Array(states * STRIDE);
const representative = new Uint8Array(classes);
for (let b = 255; b >= 0; b--) representative[byteClass[b]!] = b;
for (let st = 0; st < states; st++) {
  for (let c1 = 0; c1 < classes; c1++) {
    const mid = table[(st << 8) | representative[c1]!]! >> 8;
    single[st * STRIDE + c1] = mid * STRIDE;
    for (let c2 = 0; c2 < classes; c2++) pair[st * STRIDE + c1 * classes + c2] = (table[(mid << 8) | representative[c2]!]! >> 8) * STRIDE;
  }
}
/** The class pair of a little-endian 16-bit word (first byte in the low half). */
const wordClass = new Uint16Array(1 << 16);
{
  // Row hi of the table is the same for every high byte of one class: make each once, copy it natively.
  const rows = Array.from({ length: classes }, (_, c2) => {
    const row = new Uint16Array(256);
    for (let lo = 0; lo < 256; lo++) row[lo] = byteClass[lo]! * classes + c2;
    return row;
  });
  for (let hi = 0; hi < 256; hi++) wordClass.set(rows[byteClass[hi]!]!, hi << 8);
}
const S2 = START * STRIDE;
const E2 = END * STRIDE;

/** The state after bytes [p, end) from state `s` (both in STRIDE units), two at a time from an even p. */
function run(raw: Uint8Array, words: Uint16Array, s: number, p: number, end: number): number {
  if (p < end && (p & 1) === 1) s = single[s + byteClass[raw[p++]!]!]!;
  const pairs = (end - p) >> 1;
  const w0 = p >> 1;
  for (let k = 0; k < pairs; k++) s = pair[s + wordClass[words[w0 + k]!]!]!;
  if (((end - p) & 1) === 1) s = single[s + byteClass[raw[end - 1]!]!]!;
  return s;
}

/**
 * Checks lines [from, to) of `bounds` (line i is bytes [bounds[2i], bounds[2i+1]),
 * as the reader hands them) and sets ok[i] to 1 or 0. Four lines at a time:
 * their state chains are independent, so the CPU overlaps them.
 */
export function checkLines(raw: Uint8Array, bounds: Int32Array, from: number, to: number, ok: Uint8Array): void {
  if ((raw.byteOffset & 1) !== 0) {
    for (let i = from; i < to; i++) ok[i] = isFlatObject(raw, bounds[2 * i]!, bounds[2 * i + 1]!) ? 1 : 0;
    return;
  }
  const words = new Uint16Array(raw.buffer, raw.byteOffset, raw.length >> 1);
  const pt = pair;
  const wc = wordClass;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    // Step each line to an even offset, then all four two bytes at a time.
    let p0 = bounds[2 * i]!;
    let p1 = bounds[2 * i + 2]!;
    let p2 = bounds[2 * i + 4]!;
    let p3 = bounds[2 * i + 6]!;
    const e0 = bounds[2 * i + 1]!;
    const e1 = bounds[2 * i + 3]!;
    const e2 = bounds[2 * i + 5]!;
    const e3 = bounds[2 * i + 7]!;
    let s0 = S2;
    let s1 = S2;
    let s2 = S2;
    let s3 = S2;
    if ((p0 & 1) === 1) s0 = single[s0 + byteClass[raw[p0++]!]!]!;
    if ((p1 & 1) === 1) s1 = single[s1 + byteClass[raw[p1++]!]!]!;
    if ((p2 & 1) === 1) s2 = single[s2 + byteClass[raw[p2++]!]!]!;
    if ((p3 & 1) === 1) s3 = single[s3 + byteClass[raw[p3++]!]!]!;
    const n = Math.min(e0 - p0, e1 - p1, e2 - p2, e3 - p3) >> 1;
    const w0 = p0 >> 1;
    const w1 = p1 >> 1;
    const w2 = p2 >> 1;
    const w3 = p3 >> 1;
    for (let k = 0; k < n; k++) {
      s0 = pt[s0 + wc[words[w0 + k]!]!]!;
      s1 = pt[s1 + wc[words[w1 + k]!]!]!;
      s2 = pt[s2 + wc[words[w2 + k]!]!]!;
      s3 = pt[s3 + wc[words[w3 + k]!]!]!;
    }
    ok[i] = run(raw, words, s0, p0 + 2 * n, e0) === E2 ? 1 : 0;
    ok[i + 1] = run(raw, words, s1, p1 + 2 * n, e1) === E2 ? 1 : 0;
    ok[i + 2] = run(raw, words, s2, p2 + 2 * n, e2) === E2 ? 1 : 0;
    ok[i + 3] = run(raw, words, s3, p3 + 2 * n, e3) === E2 ? 1 : 0;
  }
  for (; i < to; i++) ok[i] = run(raw, words, S2, bounds[2 * i]!, bounds[2 * i + 1]!) === E2 ? 1 : 0;
}

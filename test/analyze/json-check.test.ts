import { describe, expect, test } from "bun:test";
import { checkLines, isFlatObject } from "../../src/analyze/json-check.ts";

// Each case: the line, and whether it is one flat JSON object as the encoder writes them.
const CASES: [string, boolean][] = [
  ['{"event":"PortFound","scan_id":"a","port":22,"state":"Open","seq":1,"timestamp":"2024-11-15T10:30:00.000Z"}', true],
  ['{"event":"X","a":["x",null],"b":-1.5e+3,"c":true,"d":false,"e":null,"f":0,"g":0.25,"h":1E9}', true],
  ['{"a":"quote \\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t \\u00e9"}', true],
  ["{}", true],
  ['{"a":[]}', true],
  ['{"a":"caf\u00e9 \u2603"}', true],
  ['{"a":01}', false],
  ['{"a":1.}', false],
  ['{"a":-}', false],
  ['{"a":1e}', false],
  ['{"a":tru}', false],
  ['{"a":1,}', false],
  ['{"a" :1}', false],
  ['{"a":"x\ty"}', false],
  ['{"a":"x\u0000y"}', false],
  ['{"a":"\\x"}', false],
  ['{"a":"\\u12g4"}', false],
  ['{"a":"unterminated}', false],
  ['{"a":1}x', false],
  ['{"a":1}}', false],
  ['{"a":{"b":1}}', false],
  ['{"a":[1]}', false],
  ['{"event":"PortFound","scan_id":"a","tar"garbage","port":22}', false],
  ['{"event":"PortFound","scan_id":"a","target":"198.18.0.1",\u0000\u0000\u0000,"port":22}', false],
  ['{"event":"PortFound","port":2X2}', false],
  ["[1,2]", false],
  ["", false],
];

const VALID_BUT_NOT_FLAT = new Set(['{"a" :1}', '{"a":{"b":1}}', '{"a":[1]}', "[1,2]"]);

describe("flat JSON check", () => {
  test("accepts the encoder's lines and rejects damaged ones, as JSON.parse would (nesting and spaces aside)", () => {
    for (const [line, flat] of CASES) {
      const bytes = new TextEncoder().encode(line);
      expect([line, isFlatObject(bytes, 0, bytes.length)]).toEqual([line, flat]);
      // Flat lines are JSON; every rejected line but the few JSON shapes the encoder never writes is not.
      const json = (() => {
        try {
          return typeof JSON.parse(line) === "object";
        } catch {
          return false;
        }
      })();
      expect([line, json]).toEqual([line, flat || VALID_BUT_NOT_FLAT.has(line)]);
    }
  });

  test("four lines at a time, at odd and even offsets, of different lengths, give the same answers as one at a time", () => {
    const encoded = CASES.map(([l]) => new TextEncoder().encode(l));
    for (const pad of [0, 1, 2, 3]) {
      // All cases back to back after `pad` bytes, newline-separated, in a buffer of its own.
      const total = pad + encoded.reduce((n, e) => n + e.length + 1, 0);
      const raw = new Uint8Array(total);
      const bounds = new Int32Array(2 * encoded.length);
      let at = pad;
      encoded.forEach((e, i) => {
        raw.set(e, at);
        bounds[2 * i] = at;
        bounds[2 * i + 1] = at + e.length;
        at += e.length;
        raw[at++] = 10;
      });
      const ok = new Uint8Array(encoded.length);
      checkLines(raw, bounds, 0, encoded.length, ok);
      expect([...ok].map(Boolean)).toEqual(CASES.map(([, flat]) => flat));
      // A view at an odd byte offset takes the one-byte-a-step road.
      const shifted = new Uint8Array(total + 1);
      shifted.set(raw, 1);
      const view = shifted.subarray(1);
      ok.fill(9);
      checkLines(view, bounds, 0, encoded.length, ok);
      expect([...ok].map(Boolean)).toEqual(CASES.map(([, flat]) => flat));
    }
  });
});

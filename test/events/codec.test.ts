import { describe, expect, test } from "bun:test";
import { EVENT_TYPES, decodeEvent, encodeEvent, isoTime } from "../../src/events/index.ts";
import { GOLDEN, T0 } from "./fixtures.ts";

describe("event encoding", () => {
  test("the golden set covers all 18 event types", () => {
    expect(new Set(GOLDEN.map(([e]) => e.event))).toEqual(new Set(EVENT_TYPES));
    expect(EVENT_TYPES).toHaveLength(18);
  });

  for (const [event, line] of GOLDEN) {
    test(`${event.event} encodes byte-for-byte to the contract`, () => {
      expect(encodeEvent(event)).toBe(line);
    });
    test(`${event.event} decodes back to the same event`, () => {
      expect(decodeEvent(line)).toEqual(event);
    });
  }

  test("timestamps are ISO 8601 UTC with milliseconds, also across second boundaries", () => {
    expect(isoTime(T0)).toBe("2024-11-15T10:30:01.123Z");
    expect(isoTime(T0 + 877)).toBe("2024-11-15T10:30:02.000Z");
    expect(isoTime(T0 - 124)).toBe("2024-11-15T10:30:00.999Z");
    expect(isoTime(T0 + 0.9)).toBe("2024-11-15T10:30:01.123Z");
  });

  test("absent optional values are written as null, never omitted", () => {
    const [event] = GOLDEN.find(([e]) => e.event === "ServiceDetected")!;
    const line = encodeEvent({ ...event, version: null } as typeof event);
    expect(line).toContain('"version":null');
  });

  test("an unknown event passes through decode and encode untouched", () => {
    const line = '{"event":"FutureThing","scan_id":"x","extra":{"a":[1,2]},"seq":3,"timestamp":"2024-11-15T10:30:01.123Z"}';
    const decoded = decodeEvent(line);
    expect(decoded.event).toBe("FutureThing");
    expect(decoded.timestamp).toBe(T0);
    expect(encodeEvent(decoded)).toBe(line);
  });

  test("decode names what is wrong with a bad line", () => {
    expect(() => decodeEvent("{not json")).toThrow(SyntaxError);
    expect(() => decodeEvent("[1,2]")).toThrow("not a JSON object");
    expect(() => decodeEvent('{"scan_id":"x"}')).toThrow('missing string field "event"');
    const [, portLine] = GOLDEN.find(([e]) => e.event === "PortFound")!;
    expect(() => decodeEvent(portLine.replace('"port":22', '"port":"22"'))).toThrow(
      'PortFound: field "port" has the wrong type',
    );
    expect(() => decodeEvent(portLine.replace('"2024-11-15T10:30:01.123Z"', '"yesterday"'))).toThrow(
      'bad or missing "timestamp"',
    );
  });
});

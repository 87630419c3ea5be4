import { SCHEMA, isEventType } from "./schema.ts";
import type { FieldKind } from "./schema.ts";
import { parseIsoTime } from "./time.ts";
import type { AnyEvent, ScanEvent, UnknownEvent } from "./types.ts";

function kindMatches(value: unknown, kind: FieldKind): boolean {
  if (value === null) return true;
  switch (kind) {
    case "s":
      return typeof value === "string";
    case "n":
      return typeof value === "number";
    case "b":
      return typeof value === "boolean";
    case "sa":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
  }
}

/**
 * A log line back into an event. Known events are checked field by field; an
 * event this build does not know comes back untouched, with its line in `raw`.
 * Throws SyntaxError naming what is wrong.
 */
export function decodeEvent(line: string): AnyEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new SyntaxError(`not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SyntaxError("not a JSON object");
  }
  const record = value as Record<string, unknown>;
  if (typeof record.event !== "string") throw new SyntaxError('missing string field "event"');
  const time = typeof record.timestamp === "string" ? parseIsoTime(record.timestamp) : Number.NaN;

  if (!isEventType(record.event)) {
    const unknown = record as UnknownEvent;
    if (!Number.isNaN(time)) unknown.timestamp = time;
    unknown.raw = line;
    return unknown;
  }
  if (Number.isNaN(time)) throw new SyntaxError(`${record.event}: bad or missing "timestamp"`);
  if (typeof record.scan_id !== "string") throw new SyntaxError(`${record.event}: missing "scan_id"`);
  if (typeof record.seq !== "number") throw new SyntaxError(`${record.event}: missing "seq"`);
  for (const [name, kind] of SCHEMA[record.event].fields) {
    if (!(name in record)) throw new SyntaxError(`${record.event}: missing field "${name}"`);
    if (!kindMatches(record[name], kind)) {
      throw new SyntaxError(`${record.event}: field "${name}" has the wrong type`);
    }
  }
  record.timestamp = time;
  return record as unknown as ScanEvent;
}

import { SCHEMA, isEventType } from "./schema.ts";
import type { FieldKind } from "./schema.ts";
import { isoTime } from "./time.ts";
import type { AnyEvent, ScanEvent, UnknownEvent } from "./types.ts";

function encodeValue(value: unknown, kind: FieldKind): string {
  if (value === null || value === undefined) return "null";
  switch (kind) {
    case "n":
      return Number.isFinite(value as number) ? String(value) : "null";
    case "b":
      return value ? "true" : "false";
    default:
      return JSON.stringify(value);
  }
}

/** One log line (without the newline), byte-exact to the contract's key order. */
export function encodeEvent(e: AnyEvent): string {
  if (!isEventType(e.event)) return encodeUnknown(e);
  const known = e as ScanEvent;
  const fields = SCHEMA[known.event].fields;
  const record = known as unknown as Record<string, unknown>;
  let out = '{"event":"' + known.event + '","scan_id":' + JSON.stringify(known.scan_id);
  for (let i = 0; i < fields.length; i++) {
    const [name, kind] = fields[i]!;
    out += ',"' + name + '":' + encodeValue(record[name], kind);
  }
  return out + ',"seq":' + known.seq + ',"timestamp":"' + isoTime(known.timestamp) + '"}';
}

function encodeUnknown(e: AnyEvent): string {
  const raw = (e as UnknownEvent).raw;
  if (typeof raw === "string") return raw;
  const { raw: _raw, ...rest } = e as UnknownEvent;
  const copy: Record<string, unknown> = rest;
  if (typeof copy.timestamp === "number") copy.timestamp = isoTime(copy.timestamp);
  return JSON.stringify(copy);
}

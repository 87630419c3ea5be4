import type { Category, EventType, ScanEvent } from "./types.ts";

/** How a field is written: string, number, boolean, or array of strings. All may be null. */
export type FieldKind = "s" | "n" | "b" | "sa";
export type FieldSpec = readonly [name: string, kind: FieldKind];

interface TypeSpec {
  readonly category: Category;
  readonly fields: readonly FieldSpec[];
}

const PORT_FIELDS: readonly FieldSpec[] = [
  ["target", "s"],
  ["port", "n"],
  ["protocol", "s"],
  ["state", "s"],
  ["reason", "s"],
];

/** Declaration order here is the type id order used by the bus's dispatch tables. */
export const SCHEMA: { readonly [T in EventType]: TypeSpec } = {
  ScanStarted: {
    category: "lifecycle",
    fields: [["scan_type", "s"], ["target_count", "n"], ["port_count", "n"]],
  },
  ScanCompleted: {
    category: "lifecycle",
    fields: [
      ["targets_scanned", "n"],
      ["ports_scanned", "n"],
      ["duration", "n"],
      ["hosts_up", "n"],
      ["open_ports", "n"],
      ["closed_ports", "n"],
      ["filtered_ports", "n"],
      ["services_detected", "n"],
    ],
  },
  ScanCancelled: { category: "lifecycle", fields: [["reason", "s"], ["partial_results", "b"]] },
  ScanPaused: { category: "lifecycle", fields: [["reason", "s"]] },
  ScanResumed: { category: "lifecycle", fields: [["paused_seconds", "n"]] },
  HostDiscovered: {
    category: "discovery",
    fields: [["ip", "s"], ["method", "s"], ["latency_ms", "n"]],
  },
  PortFound: { category: "discovery", fields: PORT_FIELDS },
  IPv6PortFound: { category: "discovery", fields: PORT_FIELDS },
  ServiceDetected: {
    category: "detection",
    fields: [["target", "s"], ["port", "n"], ["service", "s"], ["version", "s"], ["confidence", "n"]],
  },
  OSDetected: {
    category: "detection",
    fields: [["target", "s"], ["os", "s"], ["os_version", "s"], ["confidence", "n"]],
  },
  BannerGrabbed: {
    category: "detection",
    fields: [["target", "s"], ["port", "n"], ["protocol", "s"], ["banner", "s"]],
  },
  CertificateFound: {
    category: "detection",
    fields: [
      ["target", "s"],
      ["port", "n"],
      ["subject", "s"],
      ["issuer", "s"],
      ["valid_from", "s"],
      ["valid_until", "s"],
      ["san", "sa"],
      ["sha256", "s"],
      ["self_signed", "b"],
    ],
  },
  ProgressUpdate: {
    category: "progress",
    fields: [
      ["stage", "n"],
      ["percentage", "n"],
      ["completed", "n"],
      ["total", "n"],
      ["pps", "n"],
      ["ports_per_sec", "n"],
      ["hosts_per_min", "n"],
      ["bandwidth_bps", "n"],
      ["eta_seconds", "n"],
    ],
  },
  StageChanged: { category: "progress", fields: [["from", "s"], ["to", "s"], ["stage", "n"]] },
  MetricRecorded: { category: "diagnostic", fields: [["metric", "s"], ["value", "n"]] },
  WarningIssued: {
    category: "diagnostic",
    fields: [["message", "s"], ["severity", "s"], ["code", "s"]],
  },
  RateLimitTriggered: {
    category: "diagnostic",
    fields: [["current_rate", "n"], ["target_rate", "n"], ["duration_ms", "n"]],
  },
  RetryScheduled: {
    category: "diagnostic",
    fields: [["target", "s"], ["port", "n"], ["attempt", "n"], ["delay_ms", "n"]],
  },
};

export const EVENT_TYPES = Object.keys(SCHEMA) as EventType[];
export const CATEGORIES: readonly Category[] = [
  "lifecycle",
  "discovery",
  "detection",
  "progress",
  "diagnostic",
];

/** Type id of events this build does not know; they still travel the bus. */
export const UNKNOWN_TYPE_ID = EVENT_TYPES.length;

// A prototype-less object rather than a Map: the lookup is on every publish,
// and JavaScriptCore answers a property read ~10 ns sooner than Map.get here.
const TYPE_IDS: Record<string, number | undefined> = Object.assign(
  Object.create(null) as Record<string, number>,
  Object.fromEntries(EVENT_TYPES.map((t, i) => [t, i])),
);

export function typeId(event: string): number {
  return TYPE_IDS[event] ?? UNKNOWN_TYPE_ID;
}

export function isEventType(name: string): name is EventType {
  return TYPE_IDS[name] !== undefined;
}

export function isCategory(name: string): name is Category {
  return (CATEGORIES as readonly string[]).includes(name);
}

export function typesIn(category: Category): EventType[] {
  return EVENT_TYPES.filter((t) => SCHEMA[t].category === category);
}

export function categoryOf(event: string): Category | null {
  return isEventType(event) ? SCHEMA[event].category : null;
}

export function isKnownEvent(e: { event: string }): e is ScanEvent {
  return TYPE_IDS[e.event] !== undefined;
}

import { isIPv4, isIPv6 } from "node:net";
import { CATEGORIES, EVENT_TYPES, isCategory, isoTime, parseIsoTime, typesIn } from "../events/index.ts";
import { invalid } from "../errors.ts";
import type { ScanPick } from "./scan-pick.ts";

/** Everything `prtip log filter` can select on; absent parts select everything. */
export interface FilterSpec {
  /** Event names kept (from --event and --category); unknown names are allowed. */
  events?: ReadonlySet<string>;
  /** A scan id or a unique prefix of one. */
  scanId?: ScanPick;
  /** ISO text, inclusive: ISO UTC timestamps order as text, so no parsing per line. */
  since?: string;
  /** ISO text, exclusive. */
  until?: string;
  targets?: readonly Cidr[];
  ports?: PortSet;
  where?: readonly WhereClause[];
}

export interface Cidr {
  readonly text: string;
  readonly v6: boolean;
  /** Address bits as a bigint (IPv6) or number (IPv4), and the prefix length. */
  readonly base: bigint;
  readonly prefix: number;
}

/** Sorted, merged inclusive ranges. */
export type PortSet = readonly (readonly [number, number])[];

export type WhereOp = "=" | "!=" | ">" | "<" | ">=" | "<=" | "~";
export interface WhereClause {
  readonly text: string;
  readonly path: readonly string[];
  readonly op: WhereOp;
  readonly value: string;
  /** The value was written as a JSON string ("Open"): it matches strings only. */
  readonly quoted: boolean;
  readonly number: number;
  readonly regex: RegExp | null;
}

/** --event A,B plus --category c: the union of both. */
export function eventSet(events: readonly string[], categories: readonly string[]): Set<string> | undefined {
  if (events.length === 0 && categories.length === 0) return undefined;
  const set = new Set<string>();
  for (const e of events) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(e)) throw invalid("event type", e, `expected a name such as ${EVENT_TYPES.slice(6, 8).join(" or ")}`);
    // Unknown names may be newer events and pass; a known one in the wrong case is a typo that would match nothing.
    const known = EVENT_TYPES.find((t) => t !== e && t.toLowerCase() === e.toLowerCase());
    if (known !== undefined) throw invalid("event type", e, `names are case-sensitive: did you mean ${known}?`);
    set.add(e);
  }
  for (const c of categories) {
    if (!isCategory(c)) throw invalid("category", c, `expected one of ${CATEGORIES.join(", ")}`);
    for (const t of typesIn(c)) set.add(t);
  }
  return set;
}

const RELATIVE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** ISO 8601 (a date alone is midnight UTC), or a span back from `now` such as 15m, 2h, 7d. */
export function parseTimeBound(flag: string, text: string, now: number): string {
  const rel = RELATIVE.exec(text);
  if (rel) return isoTime(now - Number(rel[1]) * UNIT_MS[rel[2]!]!);
  const withTime = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const withZone = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(withTime) ? withTime + "Z" : withTime;
  const normal = withZone.replace(/T(\d{2}:\d{2})(Z|[+-])/, "T$1:00$2");
  const ms = parseIsoTime(normal);
  if (Number.isNaN(ms)) throw invalid(`time for ${flag}`, text, "expected ISO 8601 (2024-11-15T10:30:00Z) or a span such as 15m, 2h, 7d");
  return isoTime(ms);
}

function ipv4Bits(ip: string): bigint {
  return ip.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Bits(ip: string): bigint {
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = ipv4Bits(v4[1]!);
    text = text.slice(0, -v4[1]!.length) + ((b >> 16n).toString(16) + ":" + (b & 0xffffn).toString(16));
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const h = head === "" || head === undefined ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** An address as bits, or null when it is neither IPv4 nor IPv6. */
export function addressBits(ip: string): { v6: boolean; bits: bigint } | null {
  if (isIPv4(ip)) return { v6: false, bits: ipv4Bits(ip) };
  if (isIPv6(ip)) return { v6: true, bits: ipv6Bits(ip) };
  return null;
}

export function parseCidr(text: string): Cidr {
  const [addr, len, extra] = text.split("/");
  const parsed = addr === undefined ? null : addressBits(addr);
  const width = parsed?.v6 ? 128 : 32;
  const prefix = len === undefined ? width : /^\d+$/.test(len) ? Number(len) : Number.NaN;
  if (parsed === null || extra !== undefined || !(prefix >= 0 && prefix <= width)) {
    throw invalid("target", text, "expected an IPv4 or IPv6 address or CIDR such as 198.18.0.0/24");
  }
  const shift = BigInt(width - prefix);
  return { text, v6: parsed.v6, base: (parsed.bits >> shift) << shift, prefix };
}

export function inCidr(cidr: Cidr, ip: string): boolean {
  const a = addressBits(ip);
  if (a === null || a.v6 !== cidr.v6) return false;
  const shift = BigInt((cidr.v6 ? 128 : 32) - cidr.prefix);
  return (a.bits >> shift) << shift === cidr.base;
}

/** 22,80-90,443 into merged ranges. */
export function parsePorts(text: string): PortSet {
  const ranges: [number, number][] = [];
  for (const part of text.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    const lo = m ? Number(m[1]) : Number.NaN;
    const hi = m ? Number(m[2] ?? m[1]) : Number.NaN;
    if (!(lo >= 1 && hi <= 65535 && lo <= hi)) {
      throw invalid("port range", part, "ports are 1-65535, ranges low-high");
    }
    ranges.push([lo, hi]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

export function inPorts(set: PortSet, port: number): boolean {
  for (const [lo, hi] of set) if (port >= lo && port <= hi) return true;
  return false;
}

// A path as jq spells it too: an optional leading dot, `.N` or `[N]` for an array index.
const PATH = String.raw`\.?[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+|\[\d+\])*`;
// `==` is jq's spelling of `=`; the longer operators first, so `port==22` is not `port` = "=22".
const WHERE = new RegExp(String.raw`^(${PATH})\s*(==|!=|>=|<=|=|>|<|~)\s*(.*)$`, "s");
const WHOLE_PATH = new RegExp(`^${PATH}$`);

/** A dotted path (`extra.a`, `san.0`, jq's `.meta.tags[0]`) as keys; null when it is not one. */
export function parseFieldPath(text: string): string[] | null {
  if (!WHOLE_PATH.test(text)) return null;
  return text.replace(/^\./, "").replace(/\[(\d+)\]/g, ".$1").split(".");
}

/** --count-by's FIELD as keys. */
export function parseCountBy(text: string): string[] {
  const path = parseFieldPath(text);
  if (path === null) throw invalid("--count-by field", text, "expected a field name or a dotted path such as extra.a or san[0]");
  return path;
}

/**
 * field=value (or ==), field!=value, field>n, field<n, field>=n, field<=n,
 * field~regex; dotted paths. A value in double quotes is a JSON string, as in
 * jq: `state=="Open"`, and `x="null"` is the text null, not a missing value.
 */
export function parseWhere(text: string): WhereClause {
  const m = WHERE.exec(text);
  if (!m) throw invalid("--where expression", text, "expected FIELD=VALUE, FIELD!=VALUE, FIELD>N, FIELD>=N, FIELD<N, FIELD<=N or FIELD~REGEX");
  const op = (m[2] === "==" ? "=" : m[2]) as WhereOp;
  let value = m[3]!;
  let quoted = false;
  if ((op === "=" || op === "!=") && value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      value = JSON.parse(value) as string;
      quoted = true;
    } catch {
      throw invalid("--where expression", text, "a quoted value must be a JSON string");
    }
  }
  const number = Number(value);
  if ((op === ">" || op === "<" || op === ">=" || op === "<=") && (value.trim() === "" || Number.isNaN(number))) {
    throw invalid("--where expression", text, `${op} needs a number`);
  }
  let regex: RegExp | null = null;
  if (op === "~") {
    try {
      regex = new RegExp(value);
    } catch (err) {
      throw invalid("--where regex", value, (err as Error).message);
    }
  }
  return { text, path: parseFieldPath(m[1]!)!, op, value, quoted, number, regex };
}

function asText(v: unknown): string {
  return typeof v === "string" ? v : v === undefined ? "null" : JSON.stringify(v);
}

/** `=` on one value: numbers numerically, a quoted value only strings, `null` null or a missing field. */
function equals(c: WhereClause, v: unknown): boolean {
  if (c.quoted) return v === c.value;
  if (v === undefined || v === null || c.value === "null") return (v === undefined || v === null) && c.value === "null";
  if (typeof v === "number") return c.value.trim() !== "" && v === c.number;
  return asText(v) === c.value;
}

/**
 * jq's habits: a missing field is null (`x=null` holds for it, `x!=null` does
 * not, `x!=5` does), and `=`/`!=`/`~` on an array ask about its elements: any
 * one equal (or matching), none equal. Unlike jq, >, <, >=, <= hold only for
 * numbers (jq orders null before every number, so `x<5` would keep every event
 * without an x).
 */
export function whereHolds(c: WhereClause, v: unknown): boolean {
  switch (c.op) {
    case "=":
      return Array.isArray(v) ? v.some((e) => equals(c, e)) : equals(c, v);
    case "!=":
      return Array.isArray(v) ? !v.some((e) => equals(c, e)) : !equals(c, v);
    case ">":
      return typeof v === "number" && v > c.number;
    case "<":
      return typeof v === "number" && v < c.number;
    case ">=":
      return typeof v === "number" && v >= c.number;
    case "<=":
      return typeof v === "number" && v <= c.number;
    case "~":
      if (Array.isArray(v)) return v.some((e) => e !== null && e !== undefined && c.regex!.test(asText(e)));
      return v !== undefined && v !== null && c.regex!.test(asText(v));
  }
}

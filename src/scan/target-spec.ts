import { invalid, locate, UsageError } from "../errors.ts";
import { type Family, parseIPv6 } from "./address.ts";
import { dottedDecimal, nmapIPv4 } from "./ipv4-forms.ts";
import { octetBlocks } from "./octet-spec.ts";

// One target as the user typed it: an address block (literal, CIDR or range) or a
// host name still to resolve. Syntax errors name the value and exit 2.

/** Inclusive address range of one family. */
export interface Block {
  family: Family;
  lo: bigint;
  hi: bigint;
}

/**
 * A block, or a name to resolve. `label` is how the user spelled an address that nmap
 * takes for a host name (127.1, 2130706433): reports name the host by it, as nmap's do.
 */
export type TargetItem =
  | {
      kind: "block";
      block: Block;
      label?: string;
      /** A name resolved ahead of the scan (settleNames): the name, and the address it stands for in the block. */
      resolvedFrom?: { name: string; address: string };
    }
  /** `prefix`: a name with a CIDR suffix (localhost/24) stands for the block around its address, as in nmap. */
  | { kind: "name"; name: string; prefix?: number };

const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
const LOOKS_V4 = /^[\d.]+$/;

/** Why `text` is no IPv4 address, in the terms of the forms nmap reads. */
function v4Why(text: string): string {
  if (!LOOKS_V4.test(text)) return "not an IPv4 address";
  const parts = text.split(".").length;
  if (parts === 1) return "a 32-bit address is at most 4294967295";
  return parts === 4 ? "octets are 0-255, four of them" : "octets are 0-255, at most four of them";
}

/** An address in a range or CIDR block, read by `read` (nmapIPv4 takes the single-address spellings too). */
function v4(text: string, spec: string, read: (text: string) => number | null = dottedDecimal): bigint {
  const n = read(text);
  if (n === null) throw invalid("IPv4 address", text === spec ? spec : text, v4Why(text));
  return BigInt(n);
}

function v6(text: string): bigint {
  const n = parseIPv6(text);
  const zone = text.indexOf("%");
  // nmap -6 takes fe80::1%lo (not ::1%lo); prtip has no way to send on a zone.
  if (n === null) {
    const zoned = zone >= 0 && parseIPv6(text.slice(0, zone)) !== null;
    throw invalid("IPv6 address", text, zoned ? `zone ids (${text.slice(zone)}) are not supported` : "not an IPv6 address");
  }
  return n;
}

/** The CIDR block of `prefix` bits around `address`. */
export function cidrBlock(family: Family, address: bigint, prefix: number): Block {
  const hostBits = BigInt((family === 4 ? 32 : 128) - prefix);
  const lo = (address >> hostBits) << hostBits;
  return { family, lo, hi: lo + (1n << hostBits) - 1n };
}

function cidr(spec: string): TargetItem {
  const slash = spec.lastIndexOf("/");
  const base = spec.slice(0, slash);
  const prefixText = spec.slice(slash + 1);
  const family: Family = base.includes(":") ? 6 : 4;
  // A name's family is known once it resolves: its prefix is checked against -6 when the scan is planned.
  const named = family === 4 && !LOOKS_V4.test(base) && nmapIPv4(base) === null && HOSTNAME.test(base);
  const bits = family === 4 && !named ? 32 : 128;
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= bits)) {
    throw invalid("CIDR prefix", spec.slice(slash), named ? "prefixes are 0-32, or 0-128 with -6" : `IPv${family} prefixes are 0-${bits}`);
  }
  if (base === "") throw invalid("target", spec, "a CIDR block needs an address before the /");
  if (named) return { kind: "name", name: base.replace(/\.$/, ""), prefix };
  // nmap resolves the part before the slash as it would alone: 127.1/24 is 127.0.0.0/24.
  const addr = family === 4 ? v4(base, spec, nmapIPv4) : v6(base);
  return { kind: "block", block: cidrBlock(family, addr, prefix) };
}

function range(spec: string, dash: number): TargetItem {
  const left = spec.slice(0, dash);
  const right = spec.slice(dash + 1);
  const family: Family = left.includes(":") ? 6 : 4;
  const bad = () => invalid("address range", spec, `expected START-END, e.g. ${family === 4 ? "198.18.0.1-20" : "2001:db8::1-ff"}`);
  // A range's ends are a.b.c.d, as nmap's octet parser reads them: 127.1-5 is no range to nmap.
  const end = (text: string): bigint => {
    if (dottedDecimal(text) === null && nmapIPv4(text) !== null) throw bad();
    return v4(text, spec);
  };
  if (right === "" || (family === 4 ? dottedDecimal(left) : parseIPv6(left)) === null) {
    if (family === 4 && LOOKS_V4.test(left)) end(left);
    throw bad();
  }
  const lo = family === 4 ? end(left) : v6(left);
  let hi: bigint;
  if (family === 4 && /^\d+$/.test(right)) {
    // 198.18.0.1-20: the last octet is a range
    const last = Number(right);
    if (last > 255) throw invalid("address range", spec, "octets are 0-255");
    hi = (lo & ~255n) | BigInt(last);
  } else if (family === 6 && /^[0-9a-f]{1,4}$/i.test(right) && !right.includes(":")) {
    hi = (lo & ~0xffffn) | BigInt(parseInt(right, 16));
  } else {
    hi = family === 4 ? end(right) : v6(right);
  }
  if (hi < lo) throw invalid("address range", spec, "the end comes before the start");
  return { kind: "block", block: { family, lo, hi } };
}

/** Parses one target: 198.18.0.1, 198.18.0.0/24, 198.18.0.1-20, 2001:db8::1, host.example. */
export function parseTarget(spec: string): TargetItem {
  const text = spec.trim();
  if (text === "") throw invalid("target", spec, "empty");
  if (text.includes("/")) return cidr(text);
  const n4 = dottedDecimal(text);
  if (n4 !== null) return { kind: "block", block: { family: 4, lo: BigInt(n4), hi: BigInt(n4) } };
  const aton = nmapIPv4(text);
  if (aton !== null) return { kind: "block", block: { family: 4, lo: BigInt(aton), hi: BigInt(aton) }, label: text };
  const n6 = parseIPv6(text);
  if (n6 !== null) return { kind: "block", block: { family: 6, lo: n6, hi: n6 } };
  const dash = text.indexOf("-");
  if (dash > 0 && (LOOKS_V4.test(text.slice(0, dash)) || text.slice(0, dash).includes(":"))) {
    return range(text, dash);
  }
  if (LOOKS_V4.test(text)) v4(text, text);
  if (text.includes(":")) v6(text);
  if (!HOSTNAME.test(text)) throw invalid("target", text, "not an IP address, range, CIDR block or host name");
  return { kind: "name", name: text.replace(/\.$/, "") };
}

/** One target as typed, which nmap's octet notation (127.0.0.1,2 or 127.0.0.*) makes several blocks. */
export function parseTargets(spec: string): TargetItem[] {
  const blocks = octetBlocks(spec.trim());
  return blocks === null ? [parseTarget(spec)] : blocks.map((block) => ({ kind: "block", block }));
}

/**
 * Targets and excludes in a list, on the command line or in a file, split at commas,
 * except a comma inside nmap's octet notation: "127.0.0.1,2" is one target (.1 and .2),
 * "127.0.0.1,127.0.0.9" two. Only a word of four dotted parts is octet notation: numbers
 * in nmap's other spellings are split ("2130706433,2130706434" is two addresses).
 */
export function splitTargetList(text: string): string[] {
  return text
    .split(/[\s]+|,(?![\d*-]+(?:[,\s]|$))/)
    .flatMap((w) => (w.split(".").length === 4 ? [w] : w.split(",")))
    .filter((w) => w !== "");
}

/**
 * Targets in a -iL or --excludefile text: whitespace- or comma-separated, `#` starts a
 * comment. Each is checked here, where its line is known, so a bad one is named with
 * `source:line` (a 500-line list is no place to hunt for "127.0.0.999").
 */
export function targetsInText(text: string, source: string): string[] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const hash = line.indexOf("#");
    const body = hash >= 0 ? line.slice(0, hash) : line;
    for (const word of splitTargetList(body)) {
      try {
        parseTargets(word);
      } catch (err) {
        throw err instanceof UsageError ? locate(err, `${source}:${i + 1}`) : err;
      }
      out.push(word);
    }
  }
  return out;
}

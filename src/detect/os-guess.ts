import type { FieldsOf } from "../events/index.ts";
import { OS_SIGNATURES } from "./os-signatures.ts";
import type { OsSignature } from "./os-signatures.ts";

export type TcpOptionKind = "mss" | "nop" | "wscale" | "sackOK" | "sack" | "ts" | "eol" | `opt${number}`;

const OPTION_NAMES: Readonly<Record<number, TcpOptionKind>> = { 0: "eol", 1: "nop", 2: "mss", 3: "wscale", 4: "sackOK", 5: "sack", 8: "ts" };

/** TCP option kind numbers (RFC 9293 registry) as the names signatures use; unknown kinds become `optN`. */
export function tcpOptionKinds(kinds: Iterable<number>): TcpOptionKind[] {
  return Array.from(kinds, (kind) => OPTION_NAMES[kind] ?? (`opt${kind}` as const));
}

/** What a SYN-ACK tells about the stack that sent it. */
export interface SynAckTraits {
  /** IPv4 TTL or IPv6 hop limit, as received. */
  ttl: number;
  /** TCP window field, unscaled. */
  window: number;
  /** TCP option kinds in the order they appeared. */
  options: readonly TcpOptionKind[];
  mss?: number | null;
  wscale?: number | null;
}

export type OsGuess = Omit<FieldsOf<"OSDetected">, "target">;

/** Below this score the guess is reported as "Unknown". */
export const OS_THRESHOLD = 60;
// Evidence weights: option order says most, then TTL, window, window scale.
const WEIGHT = { layout: 40, ttl: 30, window: 20, wscale: 10 } as const;
/** More hops than this and the TTL no longer tells the initial value. */
const MAX_HOPS = 35;

/** The initial TTL a received TTL most likely started from. */
export function initialTtl(ttl: number): number {
  return [32, 64, 128, 255].find((start) => ttl <= start) ?? 255;
}

function windowFits(sig: OsSignature, traits: SynAckTraits): boolean {
  return sig.windows.some((w) =>
    w === "mss-multiple"
      ? traits.mss != null && traits.mss > 12 && traits.window > 0 && (traits.window % traits.mss === 0 || traits.window % (traits.mss - 12) === 0)
      : w === traits.window,
  );
}

function score(sig: OsSignature, traits: SynAckTraits): number {
  const start = initialTtl(traits.ttl);
  let points = 0;
  if (start === sig.ttl && start - traits.ttl <= MAX_HOPS) points += WEIGHT.ttl;
  if (traits.options.length > 0 && sig.layouts.includes(traits.options.join(","))) points += WEIGHT.layout;
  if (windowFits(sig, traits)) points += WEIGHT.window;
  if (traits.wscale != null && sig.wscales.includes(traits.wscale)) points += WEIGHT.wscale;
  return points;
}

/**
 * A p0f-style guess from one SYN-ACK. The confidence is the evidence score
 * (0-100), lowered by 20 when another stack scores within 10 points; below
 * OS_THRESHOLD the answer is "Unknown" with confidence 0: no claim is made.
 */
export function guessOs(traits: SynAckTraits): OsGuess {
  const ranked = OS_SIGNATURES.map((sig) => ({ sig, points: score(sig, traits) })).sort((a, b) => b.points - a.points);
  const [best, second] = ranked;
  if (best === undefined) return { os: "Unknown", os_version: null, confidence: 0 };
  const contested = second !== undefined && best.points - second.points < 10;
  const confidence = Math.max(0, Math.min(100, best.points - (contested ? 20 : 0)));
  if (confidence < OS_THRESHOLD) return { os: "Unknown", os_version: null, confidence: 0 };
  return { os: best.sig.os, os_version: best.sig.osVersion, confidence };
}

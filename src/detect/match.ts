import { GREETING_MATCHES, TLS_HINTS } from "./probes.ts";
import type { Matcher, ServiceProbe } from "./probes.ts";

/** A response recognised by a matcher: what ServiceDetected will say. */
export interface ServiceMatch {
  service: string;
  version: string | null;
  confidence: number;
}

/**
 * `"$1/$2"` with the capture groups of `m`; empty or whitespace-only means no version.
 * Bytes outside printable ASCII come out as `\xNN`, as in banners: a server's
 * words reach terminals, and escape sequences there must be shown, not obeyed.
 */
export function expandVersion(template: string | undefined, m: RegExpExecArray): string | null {
  if (template === undefined) return null;
  const text = template.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? "").trim();
  return text === "" ? null : text.replace(/[^\x20-\x7e]/g, (c) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0"));
}

function firstMatch(matchers: readonly Matcher[], response: string): ServiceMatch | null {
  for (const matcher of matchers) {
    const m = matcher.pattern.exec(response);
    if (m === null) continue;
    const version = expandVersion(matcher.version, m);
    const confidence = version === null && matcher.version !== undefined ? matcher.confidence - 15 : matcher.confidence;
    return { service: matcher.service, version, confidence };
  }
  return null;
}

/** The probe's own matchers first, then the greetings a talk-first server sends whatever we say. */
export function matchResponse(probe: ServiceProbe, response: string): ServiceMatch | null {
  if (response === "") return null;
  return firstMatch(probe.matches, response) ?? (probe.matches === GREETING_MATCHES ? null : firstMatch(GREETING_MATCHES, response));
}

/** Only the probe's own matchers: a hit means the server answered what we asked, not a greeting. */
export function answersProbe(probe: ServiceProbe, response: string): boolean {
  return response !== "" && firstMatch(probe.matches, response) !== null;
}

export function looksLikeTls(response: string): boolean {
  return TLS_HINTS.some((hint) => hint.test(response));
}

/** Bytes as a latin1 string: one char per byte, so binary protocols match with regular expressions. */
export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return text;
}

export function fromLatin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

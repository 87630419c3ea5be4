import type { BannerGrabbed, CertificateFound } from "../events/index.ts";

// Banners and certificates shown the way nmap shows its banner and ssl-cert
// script results: an id and lines of text, plus (for XML) keyed elements.

export interface ScriptElem {
  key: string;
  value: string | readonly string[];
}

export interface ScriptResult {
  id: "banner" | "ssl-cert";
  lines: string[];
  elems: ScriptElem[];
}

const NMAP_ESCAPES: Readonly<Record<string, string>> = { r: "\\x0D", n: "\\x0A", t: "\\x09", "\\": "\\" };

/**
 * BannerGrabbed's text escapes bytes as `\r` `\n` `\t` `\\` `\xNN`; nmap's banner
 * script writes every control byte as `\xNN` in upper case ("OK\x0D\x0AServer:").
 */
export function nmapBannerText(banner: string): string {
  return oneLine(banner.replace(/\\(x[0-9a-fA-F]{2}|[rnt\\])/g, (_, e: string) => NMAP_ESCAPES[e] ?? `\\x${e.slice(1).toUpperCase()}`));
}

export function bannerScript(b: BannerGrabbed): ScriptResult {
  return { id: "banner", lines: [nmapBannerText(b.banner)], elems: [] };
}

/** "2026-11-29T19:29:35" as nmap writes certificate dates (UTC, seconds). */
function certDate(iso: string | null): string {
  return iso === null ? "unknown" : iso.replace(/\.\d+Z$|Z$/, "");
}

export function certificateScript(c: CertificateFound): ScriptResult {
  const lines = [`Subject: ${oneLine(c.subject)}`];
  if (c.san.length > 0) lines.push(`Subject Alternative Name: ${c.san.map(oneLine).join(", ")}`);
  lines.push(
    `Issuer: ${oneLine(c.issuer)}`,
    `Not valid before: ${certDate(c.valid_from)}`,
    `Not valid after:  ${certDate(c.valid_until)}`,
    `SHA-256: ${c.sha256}`,
    `Self-signed: ${c.self_signed ? "yes" : "no"}`,
  );
  const elems: ScriptElem[] = [
    { key: "subject", value: c.subject },
    { key: "issuer", value: c.issuer },
    { key: "notBefore", value: c.valid_from ?? "" },
    { key: "notAfter", value: c.valid_until ?? "" },
    { key: "san", value: c.san },
    { key: "sha256", value: c.sha256 },
    { key: "self_signed", value: String(c.self_signed) },
  ];
  return { id: "ssl-cert", lines, elems };
}

/** Text from the bus may come from a replayed log: no line breaks or tabs may split a result. */
export function oneLine(text: string): string {
  return text.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
}

/** nmap's script block under a port line: `|_id: text`, or `| id: first` … `|_last`. */
export function normalScript(s: ScriptResult): string {
  const [first, ...rest] = s.lines;
  if (rest.length === 0) return `|_${s.id}: ${first ?? ""}\n`;
  let out = `| ${s.id}: ${first}\n`;
  rest.forEach((line, i) => (out += `${i === rest.length - 1 ? "|_" : "| "}${line}\n`));
  return out;
}

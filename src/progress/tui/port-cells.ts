import type { Protocol, ServiceDetected } from "../../events/index.ts";
import { serviceColumn, versionText } from "../../output/service-text.ts";
import { versionFields } from "../../output/version-fields.ts";
import { compareHosts } from "../../analyze/host-order.ts";
import { escapeControls } from "../../printable.ts";
import { type PortNamer, serviceName } from "../../scan/index.ts";
import type { PortRow } from "../results.ts";
import { textWidth } from "../text-width.ts";

/** What the table shows of one open port: the same words as the report printed after it. */
export interface PortCells {
  service: string;
  version: string;
  banner: string;
}

/**
 * SERVICE and VERSION by the normal output's rules (service-text.ts): the
 * port's name from the services table until -sV names it, lower case, "?"
 * for a -sV name that only the port number suggested, "ssl/http" for HTTP in
 * TLS, and nmap's "product version (extra)" split of the announced version.
 */
export function portCells(row: PortRow, serviceScan: boolean, portName: PortNamer = serviceName): PortCells {
  const svc: ServiceDetected | undefined =
    row.service === null
      ? undefined
      : ({ service: row.service, version: row.version, confidence: row.confidence ?? 100 } as ServiceDetected);
  const state = row.state === "OpenFiltered" ? "OpenFiltered" : "Open";
  const service = serviceColumn(svc, row.port, row.protocol, state, serviceScan, portName);
  const identified = svc !== undefined && (row.confidence ?? 100) > 10;
  const version = identified ? versionText(versionFields(row.service!, row.version, row.banner)) : "";
  // Text from a server (or a replayed log): shown, never obeyed by the terminal.
  return { service: escapeControls(service), version: escapeControls(version), banner: bannerPreview(row.banner ?? "") };
}

/**
 * A banner on one row: BannerGrabbed escapes line breaks as `\r` `\n` `\t`
 * (the report writes them nmap's way, `\x0D\x0A`); a one-line preview reads
 * better with each run of them as one space. Other escapes stay as they are.
 */
export function bannerPreview(banner: string): string {
  return escapeControls(banner.replace(/(?:\\[rnt])+/g, " ").replace(/ {2,}/g, " ").trim());
}

/**
 * `text` in at most `width` columns, cut between words ("SimpleHTTP 0.6 …"),
 * so no version number is shown half; a single word too long is cut with "…".
 */
export function fitWords(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 1) return "…".slice(0, width);
  const words = text.split(" ");
  let out = "";
  for (const w of words) {
    const next = out === "" ? w : `${out} ${w}`;
    if (textWidth(next) + 2 > width) break;
    out = next;
  }
  if (out !== "") return `${out} …`;
  return `${[...text].slice(0, width - 1).join("")}…`;
}

/** Host, then port, then protocol (tcp first): the report's order. IPv4 by number, others as text. */
export function comparePorts(a: PortRow, b: PortRow): number {
  if (a.target !== b.target) return compareHosts(a.target, b.target);
  if (a.port !== b.port) return a.port - b.port;
  return a.protocol === b.protocol ? 0 : a.protocol === ("Tcp" satisfies Protocol) ? -1 : 1;
}

/**
 * The tracker's ports (kept in arrival order, rows only ever appended) in
 * report order. `sync` places only the rows added since the last call, so a
 * frame costs nothing for ports already placed: binary insertion for a few,
 * one sort-and-merge for a burst.
 */
export class SortedPorts {
  rows: PortRow[] = [];
  private seen = 0;

  sync(all: readonly PortRow[]): readonly PortRow[] {
    if (all.length === this.seen) return this.rows;
    const added = all.slice(this.seen);
    this.seen = all.length;
    if (added.length <= 16) {
      for (const r of added) this.rows.splice(this.insertionPoint(r), 0, r);
      return this.rows;
    }
    added.sort(comparePorts);
    const merged: PortRow[] = [];
    let i = 0;
    let j = 0;
    while (i < this.rows.length && j < added.length) merged.push(comparePorts(this.rows[i]!, added[j]!) <= 0 ? this.rows[i++]! : added[j++]!);
    while (i < this.rows.length) merged.push(this.rows[i++]!);
    while (j < added.length) merged.push(added[j++]!);
    this.rows = merged;
    return this.rows;
  }

  private insertionPoint(r: PortRow): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (comparePorts(this.rows[mid]!, r) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

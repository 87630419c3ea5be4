import type { PortState, Protocol, ServiceDetected } from "../events/index.ts";
import { serviceName } from "../scan/index.ts";

// ServiceDetected carries one version string as the server announced it
// ("OpenSSH_9.2p1 Debian-2", "Apache/2.4.52 (Ubuntu)", "Redis 7.0.11"); nmap's
// formats want it as product, version and extra info.

export interface ServiceParts {
  product: string;
  version: string | null;
  extrainfo: string | null;
}

const SPLIT = /^(.+?)[/_ ]v?(\d[^ ]*(?: [^(]+?)?)\s*(?:\((.+)\))?$/;
const PRODUCT_AND_EXTRA = /^(.+?)\s*\((.+)\)$/;

export function serviceParts(text: string): ServiceParts {
  const trimmed = text.trim();
  const m = SPLIT.exec(trimmed);
  if (m) return { product: m[1]!, version: m[2]!.trim(), extrainfo: m[3] ?? null };
  const p = PRODUCT_AND_EXTRA.exec(trimmed);
  if (p) return { product: p[1]!, version: null, extrainfo: p[2]! };
  return { product: trimmed, version: null, extrainfo: null };
}

/** nmap's VERSION column text: "OpenSSH 9.2p1 Debian-2", "Apache 2.4.52 (Ubuntu)". */
export function versionText(svc: ServiceDetected | undefined): string {
  if (!svc?.version) return "";
  const { product, version, extrainfo } = serviceParts(svc.version);
  return [product, version, extrainfo === null ? null : `(${extrainfo})`].filter((s) => s !== null).join(" ");
}

/**
 * Confidence at or below which a ServiceDetected names the service from the port
 * number alone (the detector's port guess), not from anything the port said.
 */
const GUESS_CONFIDENCE = 10;

/** Whether the service row is a guess from the port table rather than an identification. */
export function isTableGuess(svc: ServiceDetected | undefined): boolean {
  return svc === undefined || svc.confidence <= GUESS_CONFIDENCE;
}

/**
 * The SERVICE column of normal and grepable output. As nmap's, a name with -sV
 * that probes did not confirm on an open port ends in "?" ("abyss?"); "unknown"
 * and closed or filtered ports (never probed) keep the plain name.
 */
export function serviceColumn(svc: ServiceDetected | undefined, port: number, protocol: Protocol, state: PortState, serviceScan: boolean): string {
  const name = svc ? svc.service.toLowerCase() : serviceName(port, protocol);
  const unconfirmed = serviceScan && state === "Open" && name !== "unknown" && isTableGuess(svc);
  return unconfirmed ? `${name}?` : name;
}

import type { ServiceDetected } from "../events/index.ts";

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

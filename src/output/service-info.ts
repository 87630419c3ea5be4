import type { PortEntry } from "./collector.ts";
import { type ServiceSource, portVersion } from "./service-text.ts";

/**
 * nmap's "Service Info:" line under a host's ports: the host names and OS
 * types the shown ports' services gave away, each once, in port order
 * ("Service Info: Host: mail.example.com; OS: Linux"). Empty when none did.
 */
export function serviceInfoLine(h: ServiceSource, shown: readonly PortEntry[]): string {
  const hosts = new Set<string>();
  const oses = new Set<string>();
  for (const p of shown) {
    const fields = portVersion(h, p.port, p.protocol);
    if (fields?.hostname) hosts.add(fields.hostname);
    if (fields?.ostype) oses.add(fields.ostype);
  }
  const parts: string[] = [];
  if (hosts.size > 0) parts.push(`${hosts.size === 1 ? "Host" : "Hosts"}: ${[...hosts].join(", ")}`);
  if (oses.size > 0) parts.push(`${oses.size === 1 ? "OS" : "OSs"}: ${[...oses].join(", ")}`);
  return parts.length === 0 ? "" : `Service Info: ${parts.join("; ")}\n`;
}

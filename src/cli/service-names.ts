import { readFileSync } from "node:fs";
import type { Runtime } from "../runtime/index.ts";
import { type PortNamer, parseServicesFile, portNamer, serviceName } from "../scan/index.ts";

/** Where nmap installs its services file: distribution packages, then a build from source. */
export const NMAP_SERVICES_PATHS = ["/usr/share/nmap/nmap-services", "/usr/local/share/nmap/nmap-services"];

/** Points prtip at another services file; set empty, prtip reads none. */
export const SERVICES_ENV = "PRTIP_NMAP_SERVICES";

/**
 * Port names for the outputs: prtip's own, then nmap's services file where nmap
 * is installed. The file is read (about 2 MB, ~10 ms) only when a port without
 * an own name is written, and a missing or unreadable file means "unknown".
 */
export function scanPortNamer(rt: Pick<Runtime, "env">): PortNamer {
  let asked: string | undefined;
  try {
    asked = rt.env(SERVICES_ENV);
  } catch {
    // Deno without --allow-env for it: as if unset.
  }
  if (asked === "") return serviceName;
  const paths = asked === undefined ? NMAP_SERVICES_PATHS : [asked];
  return portNamer(() => {
    for (const path of paths) {
      try {
        return parseServicesFile(readFileSync(path, "utf8"));
      } catch {
        // Missing or unreadable: try the next place, then do without.
      }
    }
    return null;
  });
}

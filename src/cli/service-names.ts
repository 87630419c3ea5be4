import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { invalid, systemErrorText } from "../errors.ts";
import type { Runtime } from "../runtime/index.ts";
import { type PortNamer, parseServicesFile, portNamer, serviceName } from "../scan/index.ts";

/** Where nmap installs its services file: distribution packages, then a build from source. */
export const NMAP_SERVICES_PATHS = ["/usr/share/nmap/nmap-services", "/usr/local/share/nmap/nmap-services"];

/** Points prtip at another services file; set empty, prtip reads none. */
export const SERVICES_ENV = "PRTIP_NMAP_SERVICES";

function askedFile(rt: Pick<Runtime, "env">): string | undefined {
  try {
    return rt.env(SERVICES_ENV);
  } catch {
    // Deno without --allow-env for it: as if unset.
    return undefined;
  }
}

/**
 * A PRTIP_NMAP_SERVICES the user set must name a readable file: checked before the scan,
 * as it is read lazily (only for a port without a name of prtip's own), and a typo in
 * it silently left those ports unnamed. nmap's own places may well be missing.
 */
export function checkServicesFile(rt: Pick<Runtime, "env">): void {
  const asked = askedFile(rt);
  if (asked === undefined || asked === "") return;
  try {
    if (statSync(asked).isDirectory()) throw Object.assign(new Error("EISDIR"), { code: "EISDIR" });
    accessSync(asked, constants.R_OK);
  } catch (err) {
    throw invalid(SERVICES_ENV, asked, `cannot read it: ${systemErrorText(err)} (set it empty to read no services file)`);
  }
}

/**
 * Port names for the outputs: prtip's own, then nmap's services file where nmap
 * is installed. The file is read (about 2 MB, ~10 ms) only when a port without
 * an own name is written, and a missing or unreadable file means "unknown".
 */
export function scanPortNamer(rt: Pick<Runtime, "env">): PortNamer {
  const asked = askedFile(rt);
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

import type { Protocol } from "../events/index.ts";
import { serviceName } from "./port-rank.ts";
import type { ServiceNames } from "./services-file.ts";

/** The SERVICE name of a port no probe identified: "http", "ms-v-worlds", or "unknown". */
export type PortNamer = (port: number, protocol: Protocol) => string;

/**
 * prtip's own names first; for a port they leave "unknown", the names `load`
 * returns (nmap's services file). `load` runs at most once, on the first port
 * that needs it, so a scan whose ports all have names never reads the file.
 * A load that throws or returns null leaves those ports "unknown": naming is
 * cosmetic and never fails a scan.
 */
export function portNamer(load: () => ServiceNames | null): PortNamer {
  let fallback: ServiceNames | null | undefined;
  return (port, protocol) => {
    const own = serviceName(port, protocol);
    if (own !== "unknown") return own;
    if (fallback === undefined) {
      try {
        fallback = load();
      } catch {
        fallback = null;
      }
    }
    return fallback?.get(port, protocol) ?? "unknown";
  };
}

import type { PortFields, PortState } from "../events/index.ts";

// How nmap's reports name port states and reasons.

/** --open's ports: open, or possibly open. */
export function openish(state: PortState): boolean {
  return state === "Open" || state === "OpenFiltered";
}

/** nmap's words for port states. */
export function stateWord(s: PortState): string {
  return s === "OpenFiltered" ? "open|filtered" : s.toLowerCase();
}

/**
 * nmap's words for reasons, given the scan type (a refused connect is
 * "conn-refused") and the port's state: an ICMP unreachable that closes a port
 * is a port unreachable (a closed UDP port), one that filters it is taken for
 * host-unreach (the event does not keep the ICMP code).
 */
export function reasonWord(r: PortFields["reason"], scanType: string | undefined, state?: PortState): string {
  switch (r) {
    case "connect":
      return "syn-ack";
    case "rst":
      return scanType === "Connect" ? "conn-refused" : "reset";
    case "icmp-unreach":
      return state === "Closed" ? "port-unreach" : "host-unreach";
    default:
      return r;
  }
}

/** nmap's reason words for a host found up, by prtip's discovery method. */
const HOST_REASONS: Record<string, string> = {
  ICMP: "echo-reply",
  ARP: "arp-response",
  NDP: "nd-response",
  TCP: "syn-ack",
  UDP: "udp-response",
};

/**
 * Why a host counts as up ("Host is up, received localhost-response"): nmap names
 * the machine's own addresses localhost-response whatever answered, a host it was
 * told is up (-Pn) user-set, and otherwise the discovery probe's answer.
 */
export function hostReason(address: string, discoveredBy: string | null): string {
  if (discoveredBy === null) return "user-set";
  if (address.startsWith("127.") || address === "::1") return "localhost-response";
  return HOST_REASONS[discoveredBy] ?? "syn-ack";
}

import type { PortFields, PortState } from "../events/index.ts";
import type { HostReport, PortEntry } from "./collector.ts";
import { openish } from "./port-words.ts";

// Which of a host's ports a report lists and which it summarises ("Not shown: …").

/** A state whose ports are summarised in one line rather than listed. */
export interface CollapsedState {
  state: PortState;
  count: number;
  /** The most frequent reason, for "Not shown: 1022 closed tcp ports (conn-refused)". */
  reason: PortFields["reason"];
  protocol: PortFields["protocol"];
  /** Its ports in order (XML's extrareasons names them). */
  ports(): number[];
  /** The same per protocol: a combined scan's "Not shown" line and <extrareasons> name each. */
  byProtocol: CollapsedPart[];
}

/** A summarised state's ports of one protocol. */
export interface CollapsedPart {
  protocol: PortFields["protocol"];
  count: number;
  reason: PortFields["reason"];
  ports(): number[];
}

/**
 * A host's ports, split as nmap shows them: states with more than `limit`
 * ports (never open) are summarised, the rest listed. The summarised ones are
 * counted, never built port by port.
 */
export function splitShown(h: HostReport, limit: number, openOnly = false): { shown: PortEntry[]; hidden: CollapsedState[] } {
  const hidden: (CollapsedState & { lowest: number })[] = [];
  for (const [state, count] of h.stateCounts()) {
    // With --open every state but open and open|filtered is summarised, however few its ports.
    if (state === "Open" || (count <= limit && !(openOnly && !openish(state)))) continue;
    const { lowest, reason, protocol, ports, byProtocol } = h.collapsed(state);
    hidden.push({ state, count, reason, protocol, ports, byProtocol, lowest });
  }
  // In the order of each state's lowest port, as a walk over the sorted ports meets them.
  hidden.sort((a, b) => a.lowest - b.lowest);
  const isHidden = (state: PortState) => hidden.some((c) => c.state === state);
  return { shown: h.entries((state) => !isHidden(state)), hidden };
}

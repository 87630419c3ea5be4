import { type AnyEvent, type EventBus, type Unsubscribe, encodeEvent } from "../events/index.ts";
import type { TextSink } from "./meta.ts";

// -oJ: results as JSON Lines in the event contract's own encoding, written the
// moment each arrives (so `prtip -oJ - ... | head -1` sees the first open port
// at once), and the ScanCompleted (or ScanCancelled) line last. The same jq
// queries work on it as on the event log.
//
// With -sU -sV an open|filtered UDP port may be found open later (a second
// PortFound): its line is held until the scan ends, so each port has one line,
// its final state. Held lines come out just before the last line, their seq
// out of order.

const RESULT_TYPES = [
  "PortFound",
  "IPv6PortFound",
  "ServiceDetected",
  "OSDetected",
  "BannerGrabbed",
  "CertificateFound",
  "ScanCompleted",
  "ScanCancelled",
] as const;

export class JsonWriter {
  /** Open|filtered UDP ports' lines by "host port", while a version probe may still find them open. */
  private readonly held = new Map<string, string>();

  constructor(
    private readonly sink: TextSink,
    /** Closed and filtered ports too (-v); by default only open ones. */
    private readonly allStates: boolean,
    /** -sU with -sV: hold open|filtered UDP ports' lines (see above). */
    private readonly holdOpenFiltered = false,
  ) {}

  handle = (e: AnyEvent): void => {
    if (e.event === "PortFound" || e.event === "IPv6PortFound") {
      if (!this.allStates && e.state !== "Open" && e.state !== "OpenFiltered") return;
      if (this.holdOpenFiltered && e.protocol === "Udp") {
        const key = `${String(e.target)} ${String(e.port)}`;
        if (e.state === "OpenFiltered") return void this.held.set(key, encodeEvent(e) + "\n");
        this.held.delete(key);
      }
    } else if (e.event === "ScanCompleted" || e.event === "ScanCancelled") {
      for (const line of this.held.values()) this.sink.write(line);
      this.held.clear();
    }
    this.sink.write(encodeEvent(e) + "\n");
  };

  attach(bus: EventBus): Unsubscribe {
    return bus.on({ types: RESULT_TYPES }, this.handle, "json-output");
  }
}

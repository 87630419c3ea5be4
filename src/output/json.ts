import { type AnyEvent, type EventBus, type Unsubscribe, encodeEvent } from "../events/index.ts";
import { HOST_TIMEOUT_CODE } from "../scan/index.ts";
import type { TextSink } from "./meta.ts";

// -oJ: results as JSON Lines in the event contract's own encoding, written the
// moment each arrives (so `prtip -oJ - ... | head -1` sees the first open port
// at once), and the ScanCompleted (or ScanCancelled) line last. A host given
// up on at --host-timeout has its WarningIssued (code host-timeout) line. The same jq
// queries work on it as on the event log.
//
// With -sU -sV an open|filtered UDP port may be found open later: like the
// event log, the stream then has a second PortFound line for it, Open.

const RESULT_TYPES = [
  "PortFound",
  "IPv6PortFound",
  "ServiceDetected",
  "OSDetected",
  "BannerGrabbed",
  "CertificateFound",
  "ScanCompleted",
  "ScanCancelled",
  "WarningIssued",
] as const;

export class JsonWriter {
  constructor(
    private readonly sink: TextSink,
    /** Closed and filtered ports too (-v); by default only open ones. */
    private readonly allStates: boolean,
  ) {}

  handle = (e: AnyEvent): void => {
    // Of the warnings, only --host-timeout's verdict on a host is a result: its ports above are partial.
    if (e.event === "WarningIssued" && e.code !== HOST_TIMEOUT_CODE) return;
    if ((e.event === "PortFound" || e.event === "IPv6PortFound") && !this.allStates && e.state !== "Open" && e.state !== "OpenFiltered") return;
    this.sink.write(encodeEvent(e) + "\n");
  };

  attach(bus: EventBus): Unsubscribe {
    return bus.on({ types: RESULT_TYPES }, this.handle, "json-output");
  }
}

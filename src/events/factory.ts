import type { Clock } from "../runtime/capabilities.ts";
import { systemClock } from "../runtime/capabilities.ts";
import { CoarseClock } from "./coarse-clock.ts";
import type { EventOf, EventType, FieldsOf, PortFields, PortFound, IPv6PortFound } from "./types.ts";

/**
 * Builds events for one scan: stamps `scan_id` and `timestamp`; the bus stamps
 * `seq` when it publishes. `portFound` is spelled out because it is the hot path.
 */
export class EventFactory {
  constructor(
    readonly scanId: string = crypto.randomUUID(),
    private readonly clock: Clock = new CoarseClock(systemClock),
  ) {}

  make<T extends EventType>(event: T, fields: FieldsOf<T>): EventOf<T> {
    return {
      event,
      scan_id: this.scanId,
      ...fields,
      seq: 0,
      timestamp: this.clock.now(),
    } as unknown as EventOf<T>;
  }

  portFound(f: PortFields): PortFound {
    return this.portEvent("PortFound", f);
  }

  ipv6PortFound(f: PortFields): IPv6PortFound {
    return this.portEvent("IPv6PortFound", f);
  }

  private portEvent<E extends "PortFound" | "IPv6PortFound">(event: E, f: PortFields) {
    return {
      event,
      scan_id: this.scanId,
      target: f.target,
      port: f.port,
      protocol: f.protocol,
      state: f.state,
      reason: f.reason,
      seq: 0,
      timestamp: this.clock.now(),
    };
  }
}

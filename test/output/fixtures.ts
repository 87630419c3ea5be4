import { type AnyEvent, EventBus, EventFactory } from "../../src/events/index.ts";
import type { PortFields } from "../../src/events/index.ts";
import type { OutputMeta } from "../../src/output/index.ts";

export const T0 = Date.UTC(2026, 10, 29, 19, 29, 35, 123);

export const META: OutputMeta = {
  version: "0.1.0",
  commandLine: "prtip -sT -p 1-40 198.18.0.1 2001:db8::5",
  scanType: "connect",
  protocol: "tcp",
  ports: Array.from({ length: 40 }, (_, i) => i + 1),
  verbosity: 0,
};

/** A small finished scan: 198.18.0.1 with 22 and 25 open, 30 closed, 8 filtered; 2001:db8::5 with 22 open. */
export function replayScan(bus: EventBus, opts: { cancel?: boolean } = {}): void {
  let now = T0;
  const f = new EventFactory("11111111-2222-4333-8444-555555555555", { now: () => now });
  const pub = (e: AnyEvent) => bus.publish(e);
  pub(f.make("ScanStarted", { scan_type: "Connect", target_count: 2, port_count: 40 }));
  now += 10;
  pub(f.make("HostDiscovered", { ip: "198.18.0.1", method: "TCP", latency_ms: 0.25 }));
  pub(f.make("HostDiscovered", { ip: "2001:db8::5", method: "TCP", latency_ms: 0.5 }));
  for (let port = 1; port <= 40; port++) {
    now += 1;
    const state: PortFields["state"] = port === 22 || port === 25 ? "Open" : port > 32 ? "Filtered" : "Closed";
    const reason: PortFields["reason"] = state === "Open" ? "connect" : state === "Closed" ? "rst" : "no-response";
    pub(f.portFound({ target: "198.18.0.1", port, protocol: "Tcp", state, reason }));
    pub(f.ipv6PortFound({ target: "2001:db8::5", port, protocol: "Tcp", state: port === 22 ? "Open" : "Closed", reason: port === 22 ? "connect" : "rst" }));
  }
  now += 1000;
  if (opts.cancel) {
    pub(f.make("ScanCancelled", { reason: "interrupted by SIGINT", partial_results: true }));
    return;
  }
  pub(
    f.make("ScanCompleted", {
      targets_scanned: 2,
      ports_scanned: 80,
      duration: 1.09,
      hosts_up: 2,
      open_ports: 3,
      closed_ports: 69,
      filtered_ports: 8,
      services_detected: 0,
    }),
  );
}

export function capture() {
  let text = "";
  return { sink: { write: (t: string) => void (text += t) }, text: () => text };
}

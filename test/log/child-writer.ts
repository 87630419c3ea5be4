// A stand-in for `prtip scan --event-log PATH`: a bus, the event log, and a
// scanner publishing bursts until a signal arrives. Used by signals.test.ts.
//   bun test/log/child-writer.ts PATH [BURST]
// Prints "ready" once the first lines are on disk. SIGINT/SIGTERM: ScanCancelled,
// log_ended, exit 130/143 through the same helper the scan command uses.
import { startEventLog } from "../../src/cli/event-log-setup.ts";
import { exitOnTerminationSignals } from "../../src/cli/shutdown.ts";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import { bunRuntime as rt } from "../../src/runtime/bun.ts";

const [path, burstText] = rt.args();
if (path === undefined) throw new Error("usage: child-writer.ts PATH [BURST]");
const burst = Number(burstText ?? "2000");
const bus = new EventBus();
const factory = new EventFactory();
const log = await startEventLog(
  bus,
  { path, rotation: "never", maxSize: 1e12, maxFiles: null, compression: false, rotationSuffix: null },
  rt,
  factory,
);
if (log === null) throw new Error("no event log");
let running = true;
exitOnTerminationSignals(rt, async (signal) => {
  running = false;
  bus.publish(factory.make("ScanCancelled", { reason: signal, partial_results: true }));
  await log.close();
});
bus.publish(factory.make("ScanStarted", { scan_type: "Connect", target_count: 65536, port_count: 65535 }));
let i = 0;
let ready = false;
while (running) {
  for (let n = 0; n < burst; n++, i++) {
    bus.publish(factory.portFound({ target: `198.18.${(i >> 8) & 255}.${i & 255}`, port: 1 + (i % 65535), protocol: "Tcp", state: "Open", reason: "syn-ack" }));
  }
  if (!ready) {
    await log.logger?.settled();
    rt.stdout.write("ready\n");
    ready = true;
  }
  await new Promise((resolve) => setImmediate(resolve));
}

// Run inside a test's network namespace: UDP-scans 127.0.0.1 on the ports given
// as arguments and prints one JSON line of [port, state, reason] per result.
import { UdpTechnique } from "../../src/scan/udp.ts";
import type { PortResult } from "../../src/scan/technique.ts";

const ports = process.argv.slice(2).map(Number);
const results: PortResult[] = [];
const technique = new UdpTechnique();
await technique.scan(
  ports.map((port) => ({ host: "127.0.0.1", port })),
  {
    signal: new AbortController().signal,
    pacer: { acquire: () => {} },
    maxRetries: 1,
    timeoutMs: 300,
    result: (r) => results.push(r),
    metric: () => {},
    warning: () => {},
    retry: () => {},
    checkpoint: () => {},
  },
);
console.log(JSON.stringify(results.map((r) => [r.port, r.state, r.reason])));

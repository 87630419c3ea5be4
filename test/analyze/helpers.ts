import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeEvent, isoTime } from "../../src/events/index.ts";
import type { AnyEvent } from "../../src/events/index.ts";
import type { Runtime as Rt } from "../../src/runtime/index.ts";

export const SCAN_A = "3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b";
export const SCAN_B = "9a1c2b3d-4e5f-4a7b-8c1e-7d4a4e6b3f2b";
export const T0 = Date.UTC(2024, 10, 15, 10, 30, 0, 0);

let seq = 0;
/** The next seq, for hand-written lines: seqs run on without gaps, as the bus numbers them. */
export const nextSeq = () => ++seq;
/** One encoded line; `ms` is the offset from T0. */
export function ev(event: string, ms: number, fields: Record<string, unknown>, scan = SCAN_A): string {
  return encodeEvent({ event, scan_id: scan, ...fields, seq: ++seq, timestamp: T0 + ms } as unknown as AnyEvent);
}

export const port = (ms: number, target: string, p: number, state = "Open", scan = SCAN_A) =>
  ev("PortFound", ms, { target, port: p, protocol: "Tcp", state, reason: state === "Open" ? "syn-ack" : "rst" }, scan);

export const started = (ms: number, extra = "") => `{"event":"log_started","timestamp":"${isoTime(T0 + ms)}","version":"1.0"${extra}}`;
export const ended = (ms: number, events: number, extra = "") => `{"event":"log_ended","timestamp":"${isoTime(T0 + ms)}","events":${events}${extra}}`;

/** A small but complete scan log: framing, lifecycle, discovery, detection, diagnostics. */
export function sampleLog(): string[] {
  const events = [
    ev("ScanStarted", 0, { scan_type: "Syn", target_count: 4, port_count: 3 }),
    ev("StageChanged", 1, { from: null, to: "PortScanning", stage: 3 }),
    ev("HostDiscovered", 2, { ip: "198.18.0.1", method: "TCP", latency_ms: 1.5 }),
    port(3, "198.18.0.1", 22),
    port(4, "198.18.0.1", 80),
    port(5, "198.18.0.2", 22, "Closed"),
    port(6, "198.18.1.9", 443),
    ev("IPv6PortFound", 7, { target: "2001:db8::5", port: 8080, protocol: "Tcp", state: "Open", reason: "syn-ack" }),
    ev("ServiceDetected", 8, { target: "198.18.0.1", port: 22, service: "SSH", version: "OpenSSH 9.2p1", confidence: 90 }),
    ev("ProgressUpdate", 9, { stage: 3, percentage: 50, completed: 6, total: 12, pps: 1000, ports_per_sec: 1000, hosts_per_min: 10, bandwidth_bps: 64000, eta_seconds: 3 }),
    ev("ProgressUpdate", 10, { stage: 3, percentage: 100, completed: 12, total: 12, pps: 3000, ports_per_sec: 3000, hosts_per_min: 10, bandwidth_bps: 64000, eta_seconds: 0 }),
    ev("RetryScheduled", 11, { target: "198.18.0.2", port: 80, attempt: 1, delay_ms: 250 }),
    ev("WarningIssued", 12, { message: 'route "lost"', severity: "low", code: "host-unreachable" }),
    ev("WarningIssued", 13, { message: "slow", severity: "low", code: "host-unreachable" }),
    ev("RateLimitTriggered", 14, { current_rate: 12000, target_rate: 10000, duration_ms: 120 }),
    `{"event":"FutureThing","scan_id":"${SCAN_A}","extra":{"depth":{"n":7}},"port":22,"seq":${nextSeq()},"timestamp":"${isoTime(T0 + 15)}"}`,
    ev("ScanCompleted", 16, { targets_scanned: 4, ports_scanned: 12, duration: 0.016, hosts_up: 3, open_ports: 4, closed_ports: 1, filtered_ports: 7, services_detected: 1 }),
  ];
  return [started(0), ...events, ended(17, events.length)];
}

export const text = (lines: readonly string[]) => lines.join("\n") + "\n";

/** A temporary folder removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name: string, data: string | Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "prtip-analyze-"));
  return {
    dir,
    file: (name, data) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const gz = (s: string) => gzipSync(Buffer.from(s));

/** A stream that hands out `bytes` in pieces of the given sizes, cycling. */
export async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = sizes[k++ % sizes.length]!;
    yield bytes.slice(i, i + n);
    i += n;
  }
}

/** A runtime whose stdout/stderr are captured strings and stdin is given. */
export function fakeRuntime(
  stdin: Uint8Array = new Uint8Array(0),
): Rt & { out: () => string; err: () => string; signal: (name: string) => void } {
  const handlers = new Map<string, () => void>();
  const out: string[] = [];
  const err: string[] = [];
  const dec = new TextDecoder();
  const sink = (to: string[]) => ({
    write: (c: string | Uint8Array) => void to.push(typeof c === "string" ? c : dec.decode(c)),
    isTTY: false,
    size: () => ({ columns: 80, rows: 24 }),
  });
  return {
    name: "bun",
    version: "test",
    args: () => [],
    env: () => undefined,
    stdout: sink(out),
    stderr: sink(err),
    stdin: () => new Blob([stdin]).stream(),
    stdinIsTTY: () => false,
    onSignal: (name, handler) => {
      handlers.set(name, handler);
      return () => void handlers.delete(name);
    },
    setRawMode: () => {},
    euid: () => 0,
    exit: (code: number): never => {
      throw new Error(`exit ${code}`);
    },
    signal: (name) => handlers.get(name)?.(),
    out: () => out.join(""),
    err: () => err.join(""),
  };
}


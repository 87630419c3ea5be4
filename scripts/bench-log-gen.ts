// A realistic scan log for benchmarks, written with the real encoder: mostly
// PortFound, then discovery, services, progress, metrics, retries, warnings.
import { closeSync, openSync, writeSync } from "node:fs";
import { encodeEvent, isoTime } from "../src/events/index.ts";
import type { AnyEvent, PortState, PortReason } from "../src/events/index.ts";

const PORTS = [21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1723, 3306, 3389, 5432, 5900, 8080, 8443];
const SERVICES: [number, string, string | null][] = [
  [22, "SSH", "OpenSSH 9.2p1"],
  [80, "HTTP", "Apache/2.4.52"],
  [443, "HTTPS", "nginx/1.24.0"],
  [3306, "MYSQL", "8.0.35"],
  [5432, "POSTGRESQL", null],
  [8080, "HTTP", "Jetty 9.4"],
];

/** Deterministic xorshift, so every run benchmarks the same bytes. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Writes `events` events (split into scans of at most 1M) to `path`; returns bytes written. */
export function generateLog(path: string, events: number, seed = 7): number {
  const rand = rng(seed);
  const fd = openSync(path, "w");
  let buffered: string[] = [];
  let size = 0;
  let bytes = 0;
  const put = (line: string) => {
    buffered.push(line);
    size += line.length + 1;
    if (size > 1 << 20) flush();
  };
  const flush = () => {
    const data = Buffer.from(buffered.join("\n") + "\n");
    writeSync(fd, data);
    bytes += data.length;
    buffered = [];
    size = 0;
  };
  let t = Date.UTC(2024, 10, 15, 10, 30, 0, 0);
  let seq = 0;
  put(`{"event":"log_started","timestamp":"${isoTime(t)}","version":"1.0"}`);
  let written = 0;
  let scanNo = 0;
  while (written < events) {
    const scanEvents = Math.min(1_000_000, events - written);
    const scan_id = `3f2b8c1e-7d4a-4e6b-9a1c-${(0x2b3d4e5f6a7b + scanNo++).toString(16).padStart(12, "0")}`;
    const emit = (e: Record<string, unknown>) => {
      t += rand() < 0.98 ? Math.floor(rand() * 3) : 200;
      put(encodeEvent({ ...e, scan_id, seq: ++seq, timestamp: t } as unknown as AnyEvent));
      written++;
    };
    const hosts = 4096;
    emit({ event: "ScanStarted", scan_type: "Syn", target_count: hosts, port_count: PORTS.length * 12 });
    emit({ event: "StageChanged", from: null, to: "PortScanning", stage: 3 });
    const end = written + scanEvents - 2;
    let done = 0;
    while (written < end) {
      const host = `198.18.${Math.floor(rand() * 16)}.${1 + Math.floor(rand() * 254)}`;
      const r = rand();
      if (r < 0.8) {
        const port = rand() < 0.7 ? PORTS[Math.floor(rand() * PORTS.length)]! : 1 + Math.floor(rand() * 65535);
        const s = rand();
        const state: PortState = s < 0.35 ? "Open" : s < 0.75 ? "Closed" : "Filtered";
        const reason: PortReason = state === "Open" ? "syn-ack" : state === "Closed" ? "rst" : "no-response";
        emit({ event: "PortFound", target: host, port, protocol: "Tcp", state, reason });
        done++;
      } else if (r < 0.84) {
        emit({ event: "HostDiscovered", ip: host, method: "TCP", latency_ms: Math.round(rand() * 5000) / 100 });
      } else if (r < 0.87) {
        const [port, service, version] = SERVICES[Math.floor(rand() * SERVICES.length)]!;
        emit({ event: "ServiceDetected", target: host, port, service, version, confidence: 60 + Math.floor(rand() * 40) });
      } else if (r < 0.9) {
        const total = scanEvents;
        emit({
          event: "ProgressUpdate", stage: 3, percentage: Math.min(100, Math.round((done / total) * 10000) / 100),
          completed: done, total, pps: 9000 + Math.floor(rand() * 2000), ports_per_sec: 9000 + Math.floor(rand() * 2000),
          hosts_per_min: 400, bandwidth_bps: 5_800_000, eta_seconds: Math.max(0, Math.round((total - done) / 10000)),
        });
      } else if (r < 0.94) {
        emit({ event: "MetricRecorded", metric: rand() < 0.5 ? "packets_sent" : "rtt_ms", value: Math.round(rand() * 100000) / 100 });
      } else if (r < 0.98) {
        emit({ event: "RetryScheduled", target: host, port: PORTS[Math.floor(rand() * PORTS.length)]!, attempt: 1 + Math.floor(rand() * 3), delay_ms: 250 });
      } else if (r < 0.995) {
        emit({ event: "WarningIssued", message: `no route to ${host} ("unreachable")`, severity: "low", code: "host-unreachable" });
      } else {
        emit({ event: "RateLimitTriggered", current_rate: 12000, target_rate: 10000, duration_ms: 120 });
      }
    }
    emit({
      event: "ScanCompleted", targets_scanned: hosts, ports_scanned: done, duration: 100.5, hosts_up: 3000,
      open_ports: Math.floor(done * 0.35), closed_ports: Math.floor(done * 0.4), filtered_ports: Math.floor(done * 0.25), services_detected: 100,
    });
  }
  put(`{"event":"log_ended","timestamp":"${isoTime(t)}","events":${written}}`);
  flush();
  closeSync(fd);
  return bytes;
}

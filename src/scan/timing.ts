// -T0 ... -T5. Timeouts follow nmap's published template values so users'
// expectations carry over; parallelism is prtip's own (open sockets for -sT).

export interface TimingTemplate {
  name: "paranoid" | "sneaky" | "polite" | "normal" | "aggressive" | "insane";
  /** Probes in flight at once. */
  parallelism: number;
  initialTimeoutMs: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  maxRetries: number;
  /** Pause between probes; 0 for none. */
  scanDelayMs: number;
}

export const TIMING: readonly TimingTemplate[] = [
  { name: "paranoid", parallelism: 1, initialTimeoutMs: 300_000, minTimeoutMs: 100, maxTimeoutMs: 300_000, maxRetries: 10, scanDelayMs: 300_000 },
  { name: "sneaky", parallelism: 1, initialTimeoutMs: 15_000, minTimeoutMs: 100, maxTimeoutMs: 15_000, maxRetries: 10, scanDelayMs: 15_000 },
  { name: "polite", parallelism: 16, initialTimeoutMs: 1_000, minTimeoutMs: 100, maxTimeoutMs: 10_000, maxRetries: 10, scanDelayMs: 400 },
  { name: "normal", parallelism: 256, initialTimeoutMs: 1_000, minTimeoutMs: 100, maxTimeoutMs: 10_000, maxRetries: 10, scanDelayMs: 0 },
  { name: "aggressive", parallelism: 1024, initialTimeoutMs: 500, minTimeoutMs: 100, maxTimeoutMs: 1_250, maxRetries: 6, scanDelayMs: 0 },
  { name: "insane", parallelism: 2048, initialTimeoutMs: 250, minTimeoutMs: 50, maxTimeoutMs: 300, maxRetries: 2, scanDelayMs: 0 },
];

export function timingTemplate(level = 3): TimingTemplate {
  const t = TIMING[level];
  if (!t) throw new RangeError(`timing template must be 0-5, got ${level}`);
  return t;
}

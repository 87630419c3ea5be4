import { invalid } from "../errors.ts";
import { tcpConnect } from "./connect.ts";
import type { Connect } from "./connect.ts";

export interface DetectOptions {
  /** --version-intensity, 0-9. */
  intensity: number;
  connect: Connect;
  connectTimeoutMs: number;
  probeTimeoutMs: number;
  bannerTimeoutMs: number;
  idleMs: number;
  /** Ports under detection at once, over all hosts: keeps -sV on a /24 polite. */
  maxConcurrent: number;
  /** Ports under detection at once on one host. */
  maxPerHost: number;
  signal?: AbortSignal;
}

// nmap's default intensity is 7; our probe list is short, so 7 sends all of it.
export const DEFAULT_DETECT_OPTIONS: Readonly<DetectOptions> = {
  intensity: 7,
  connect: tcpConnect,
  connectTimeoutMs: 3000,
  probeTimeoutMs: 3000,
  bannerTimeoutMs: 2000,
  idleMs: 250,
  maxConcurrent: 32,
  maxPerHost: 8,
};

function check(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(name, value, `expected an integer from ${min} to ${max}`);
}

/** Defaults filled in, numbers range-checked (a UsageError names the bad value). */
export function resolveDetectOptions(partial: Partial<DetectOptions> = {}): DetectOptions {
  const options: DetectOptions = { ...DEFAULT_DETECT_OPTIONS, ...partial };
  check("version intensity", options.intensity, 0, 9);
  check("connect timeout", options.connectTimeoutMs, 1, 600_000);
  check("probe timeout", options.probeTimeoutMs, 1, 600_000);
  check("banner timeout", options.bannerTimeoutMs, 0, 600_000);
  check("idle time", options.idleMs, 1, 600_000);
  check("detection concurrency", options.maxConcurrent, 1, 10_000);
  check("per-host detection concurrency", options.maxPerHost, 1, 10_000);
  return options;
}

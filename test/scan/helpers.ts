import type { PortResult, Probe, TechniqueContext } from "../../src/scan/index.ts";

/** A TechniqueContext that records what a technique reports. */
export function recordingContext(overrides: Partial<TechniqueContext> = {}) {
  const results: PortResult[] = [];
  const retries: { target: string; port: number; attempt: number }[] = [];
  const warnings: string[] = [];
  const metrics: Record<string, number> = {};
  const abort = new AbortController();
  const ctx: TechniqueContext = {
    signal: abort.signal,
    pacer: { acquire: () => {} },
    maxRetries: 2,
    timeoutMs: 200,
    result: (r) => results.push(r),
    metric: (name, value) => (metrics[name] = value),
    warning: (message) => warnings.push(message),
    retry: (target, port, attempt) => retries.push({ target, port, attempt }),
    checkpoint: () => {},
    ...overrides,
  };
  return { ctx, results, retries, warnings, metrics, abort };
}

export const probes = (host: string, ports: number[]): Probe[] => ports.map((port) => ({ host, port }));

export const byPort = (results: PortResult[]) =>
  Object.fromEntries(results.map((r) => [r.port, `${r.state}/${r.reason}`]));

import { type AnyEvent, EventBus, EventFactory } from "../../src/events/index.ts";
import { type EngineDeps, type PortResult, type Probe, type ScanPlan, ScanEngine, type TechniqueContext, planTargets, timingTemplate } from "../../src/scan/index.ts";

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

/**
 * An engine over `plan` (defaults: connect scan of one host, no discovery,
 * -T4) with a clock at 0 and a ticker the test turns by hand, unless `deps`
 * says otherwise; `of(type)` lists the events of a type it published.
 */
export function engineHarness(plan: Partial<ScanPlan> & Pick<ScanPlan, "technique" | "ports">, deps: Partial<EngineDeps> = {}) {
  const bus = new EventBus({ history: 100_000 });
  const events: AnyEvent[] = [];
  bus.on({}, (e) => events.push(e));
  const ticks: (() => void)[] = [];
  const engine = new ScanEngine(
    {
      targets: planTargets(["198.18.0.1"], []),
      scanType: "Connect",
      discovery: null,
      pingOnly: false,
      detector: null,
      timing: timingTemplate(4),
      maxRetries: 2,
      maxRate: null,
      minRate: null,
      seed: 1,
      family: 4,
      resolver: async () => [],
      ...plan,
    },
    {
      nextTurn: async () => {},
      bus,
      factory: new EventFactory("00000000-0000-4000-8000-000000000000", { now: () => 0 }),
      clock: { now: () => 0 },
      ticker: (fn) => {
        ticks.push(fn);
        return () => void ticks.splice(ticks.indexOf(fn), 1);
      },
      ...deps,
    },
  );
  const of = (type: string) => events.filter((e) => e.event === type) as unknown as Record<string, unknown>[];
  return { engine, events, of, tick: () => ticks.forEach((f) => f()) };
}

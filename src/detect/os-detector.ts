import type { DetectionContext, Probe, ServiceDetector, SynAckTraits, Technique, TechniqueContext } from "../scan/index.ts";
import { guessOs, type TcpOptionKind } from "./os-guess.ts";

const KIND_OF: Readonly<Record<string, TcpOptionKind>> = {
  EOL: "eol",
  NOP: "nop",
  MSS: "mss",
  WSCALE: "wscale",
  SACK_PERMITTED: "sackOK",
  SACK: "sack",
  TIMESTAMP: "ts",
};

/** The SYN technique's option names (MSS, SACK_PERMITTED, KIND30…) as the signatures spell them. */
function optionKind(name: string): TcpOptionKind {
  return KIND_OF[name] ?? (`opt${Number(name.replace(/^KIND/, ""))}` as const);
}

/**
 * -O: the first SYN-ACK seen from each host, kept while the SYN scan runs,
 * becomes one OSDetected per host in the detection stage ("Unknown" with
 * confidence 0 when no signature is close enough).
 */
export class OsDetector implements ServiceDetector {
  private readonly traits = new Map<string, SynAckTraits>();

  /** The technique, reporting as before, with each host's first SYN-ACK recorded. */
  record(inner: Technique): Technique {
    const traits = this.traits;
    return {
      name: inner.name,
      close: () => inner.close(),
      scan(probes: Iterable<Probe>, ctx: TechniqueContext) {
        const recording: TechniqueContext = {
          signal: ctx.signal,
          pacer: ctx.pacer,
          maxRetries: ctx.maxRetries,
          timeoutMs: ctx.timeoutMs,
          result(r) {
            if (r.synAck && !traits.has(r.target)) traits.set(r.target, r.synAck);
            ctx.result(r);
          },
          metric: (name, value) => ctx.metric(name, value),
          warning: (message, code, severity) => ctx.warning(message, code, severity),
          retry: (target, port, attempt, delayMs) => ctx.retry(target, port, attempt, delayMs),
          checkpoint: () => ctx.checkpoint(),
        };
        return inner.scan(probes, recording);
      },
    };
  }

  async detect(open: readonly Probe[], ctx: DetectionContext): Promise<number> {
    const hosts = new Set(open.map((p) => p.host));
    for (const host of hosts) {
      const t = this.traits.get(host);
      if (!t) continue;
      const guess = guessOs({ ttl: t.ttl, window: t.window, options: t.options.map(optionKind), mss: t.mss, wscale: t.windowScale });
      ctx.bus.publish(ctx.factory.make("OSDetected", { target: host, ...guess }));
    }
    return 0;
  }
}

/** Runs detectors one after the other; the count is the sum of services identified. */
export class DetectorChain implements ServiceDetector {
  constructor(private readonly detectors: readonly ServiceDetector[]) {}

  async detect(open: readonly Probe[], ctx: DetectionContext): Promise<number> {
    let services = 0;
    for (const d of this.detectors) services += await d.detect(open, ctx);
    return services;
  }

  expectedMs(open: readonly Probe[]): number {
    return this.detectors.reduce((ms, d) => ms + (d.expectedMs?.(open) ?? 0), 0);
  }
}

import type { Protocol, ServiceDetected } from "../events/index.ts";
import type { DetectionContext, Probe, ServiceDetector } from "../scan/index.ts";
import { detectServices } from "./detect-services.ts";
import type { DetectServicesOptions } from "./detect-services.ts";
import { probesFor } from "./identify.ts";
import { resolveDetectOptions } from "./options.ts";
import { udpPayloadsFor } from "./udp-payloads.ts";

/**
 * The engine's ServiceDetection stage (-sV): identifies the ports handed over and
 * publishes ServiceDetected, BannerGrabbed and CertificateFound as each finishes;
 * tells the engine which UDP ports answered (it decides what that does to their state).
 */
export class ProbeServiceDetector implements ServiceDetector {
  constructor(
    private readonly protocol: Protocol,
    private readonly options: Partial<DetectServicesOptions> = {},
    /**
     * Where to note the protocol of each ServiceDetected it publishes, for the
     * reports: the event has no protocol field, and a scan of TCP and UDP has two detectors.
     */
    private readonly noted?: WeakMap<ServiceDetected, Protocol>,
  ) {}

  async detect(ports: readonly Probe[], ctx: DetectionContext): Promise<number> {
    const { bus, factory } = ctx;
    let done = 0;
    const summary = await detectServices(
      ports.map((p) => ({ target: p.host, port: p.port, protocol: this.protocol })),
      { ...this.options, signal: ctx.signal },
      {
        service: (f) => {
          const event = factory.make("ServiceDetected", f);
          this.noted?.set(event, this.protocol);
          bus.publish(event);
        },
        banner: (f) => bus.publish(factory.make("BannerGrabbed", f)),
        certificate: (f) => bus.publish(factory.make("CertificateFound", f)),
        warning: (f) => bus.publish(factory.make("WarningIssued", f)),
        answered: (p) => ctx.answered?.(p.target, p.port),
        // Every port counts when it is done, not only those a service was found on.
        finished: () => ctx.progress(++done),
      },
    );
    ctx.progress(ports.length);
    return summary.services;
  }

  /**
   * A silent port's worst case: the first probe (alongside the NULL probe's
   * wait for a greeting), the other probes, then the TLS attempt; ports run
   * in parallel up to the concurrency limits.
   */
  expectedMs(ports: readonly Probe[]): number {
    const o = resolveDetectOptions(this.options);
    const perPort = (port: number): number =>
      this.protocol === "Udp"
        ? Math.max(1, udpPayloadsFor(port, o.intensity).length) * o.probeTimeoutMs
        : Math.max(o.bannerTimeoutMs, o.probeTimeoutMs) + Math.max(0, probesFor(port, o.intensity).length - 1) * o.probeTimeoutMs + o.connectTimeoutMs;
    let work = 0;
    let longest = 0;
    const hosts = new Map<string, number>();
    for (const p of ports) {
      const ms = perPort(p.port);
      work += ms;
      longest = Math.max(longest, ms);
      hosts.set(p.host, (hosts.get(p.host) ?? 0) + 1);
    }
    let perHostWaves = 0;
    for (const n of hosts.values()) perHostWaves = Math.max(perHostWaves, Math.ceil(n / o.maxPerHost));
    const parallel = Math.max(1, Math.min(o.maxConcurrent, hosts.size * o.maxPerHost, ports.length));
    return Math.max(longest * perHostWaves, work / parallel);
  }
}

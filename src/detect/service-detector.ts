import type { Protocol, ServiceDetected } from "../events/index.ts";
import type { DetectionContext, Probe, ServiceDetector } from "../scan/index.ts";
import { detectServices } from "./detect-services.ts";
import type { DetectServicesOptions } from "./detect-services.ts";

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
          ctx.progress(++done);
        },
        banner: (f) => bus.publish(factory.make("BannerGrabbed", f)),
        certificate: (f) => bus.publish(factory.make("CertificateFound", f)),
        warning: (f) => bus.publish(factory.make("WarningIssued", f)),
        answered: (p) => ctx.answered?.(p.target, p.port),
      },
    );
    ctx.progress(ports.length);
    return summary.services;
  }
}

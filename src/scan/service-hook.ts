import type { EventBus, EventFactory } from "../events/index.ts";
import type { Probe } from "./technique.ts";

// The ServiceDetection stage's seam: service and version detection (-sV) is
// another module's work. It gets the open ports and publishes ServiceDetected,
// BannerGrabbed and CertificateFound itself.

export interface DetectionContext {
  readonly signal: AbortSignal;
  readonly bus: EventBus;
  readonly factory: EventFactory;
  /** `completed` of the open ports handed over are done (progress). */
  progress(completed: number): void;
}

export interface ServiceDetector {
  /** Returns how many services it identified. */
  detect(open: readonly Probe[], ctx: DetectionContext): Promise<number>;
}

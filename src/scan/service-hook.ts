import type { EventBus, EventFactory } from "../events/index.ts";
import type { Probe } from "./technique.ts";

// The ServiceDetection stage's seam: service and version detection (-sV) is
// another module's work. It gets the open ports (and, after -sU, the
// open|filtered ones, as nmap probes them) and publishes ServiceDetected,
// BannerGrabbed and CertificateFound itself. Port states stay the engine's:
// the detector only says which ports answered.

export interface DetectionContext {
  readonly signal: AbortSignal;
  readonly bus: EventBus;
  readonly factory: EventFactory;
  /** `completed` of the open ports handed over are done (progress). */
  progress(completed: number): void;
  /**
   * A UDP port handed over answered a probe. For a port the scan left
   * open|filtered that is proof it is open; the engine publishes the new state.
   */
  answered?(host: string, port: number): void;
}

export interface ServiceDetector {
  /** Returns how many services it identified. */
  detect(ports: readonly Probe[], ctx: DetectionContext): Promise<number>;
  /**
   * About how long `detect(ports)` takes when the ports answer nothing (ms),
   * for the progress while no port has finished; omitted when unknown.
   */
  expectedMs?(ports: readonly Probe[]): number;
}

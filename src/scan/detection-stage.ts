import type { EventBus, EventFactory } from "../events/index.ts";
import { HOST_TIMEOUT_CODE, type HostDeadline, hostTimeoutMessage } from "./host-deadline.ts";
import type { ScanPass } from "./scan-plan.ts";
import type { Probe } from "./technique.ts";

/** Where one pass's port scan leaves the ports its detector will get. */
export interface PassPorts {
  readonly open: Probe[];
  /**
   * With a detector, the pass's open|filtered UDP ports ("host port" keys)
   * while -sV may still hear from them: nmap sends its version probes there
   * too, and an answer makes the port open. Without one, undefined.
   */
  readonly silent: Map<string, Probe> | undefined;
}

export interface DetectionStageContext {
  /** The scan's own signal: a cancel stops detection. */
  readonly signal: AbortSignal;
  /** --host-timeout's deadline, or null: when it passes, detection stops. */
  readonly deadline: HostDeadline | null;
  readonly bus: EventBus;
  readonly factory: EventFactory;
  /** `completed` of all the ports handed over (every pass's) are done. */
  progress(completed: number): void;
  /** An open|filtered UDP port answered a version probe: it is open. Called once per port. */
  opened(host: string, port: number): void;
}

/**
 * Stage 4, service detection: each pass's open ports (and, for a UDP pass with
 * -sV, its open|filtered ones) gathered during the port scan and handed to the
 * pass's detector, pass by pass; -sV probes a UDP port with UDP payloads.
 */
export class DetectionStage {
  private readonly open: Probe[][] = [];
  private readonly silent: (Map<string, Probe> | undefined)[] = [];

  /** Pass `i`'s port scan starts: where it leaves its open ports, and its open|filtered UDP ones if `detects`. */
  collect(i: number, detects: boolean): PassPorts {
    const open: Probe[] = (this.open[i] = []);
    const silent = detects ? (this.silent[i] = new Map<string, Probe>()) : undefined;
    return { open, silent };
  }

  /** Each pass's ports for its detector, less those of hosts already given up on (--host-timeout). */
  handOver(passes: readonly ScanPass[], givenUp: ReadonlySet<string> | undefined): Probe[][] {
    const handed = passes.map((pass, i) => this.detectionPorts(pass, i));
    if (!givenUp?.size) return handed;
    return handed.map((ports) => ports.filter((p) => !givenUp.has(p.host)));
  }

  /** What a pass's detector gets: its open ports, then those a version probe may yet prove open. */
  private detectionPorts(pass: ScanPass, i: number): Probe[] {
    const open = this.open[i] ?? [];
    const silent = this.silent[i];
    return pass.detector && silent ? [...open, ...silent.values()] : open;
  }

  /** About how long detection of `handed` (see handOver) takes when nothing answers (ms); 0 when unknown. */
  expectedMs(passes: readonly ScanPass[], handed: readonly Probe[][]): number {
    let ms = 0;
    for (const [i, pass] of passes.entries()) if (handed[i]!.length > 0) ms += pass.detector?.expectedMs?.(handed[i]!) ?? 0;
    return ms;
  }

  /**
   * Runs each pass's detector on `handed[i]` (see handOver) until a cancel or
   * the deadline; then, with a deadline, reports every host given up on.
   * Returns how many services the detectors identified.
   */
  async detect(passes: readonly ScanPass[], handed: readonly Probe[][], ctx: DetectionStageContext): Promise<number> {
    const { deadline } = ctx;
    const signal = deadline ? AbortSignal.any([ctx.signal, deadline.signal]) : ctx.signal;
    let services = 0;
    let detected = 0;
    for (const [i, pass] of passes.entries()) {
      const ports = handed[i]!;
      if (pass.detector && ports.length > 0 && !signal.aborted && !deadline?.passed) {
        const before = detected;
        const silent = this.silent[i];
        services += await pass.detector.detect(ports, {
          signal,
          bus: ctx.bus,
          factory: ctx.factory,
          progress: (done) => ctx.progress(before + done),
          answered: silent ? (host, port) => this.answered(silent, host, port, ctx) : undefined,
        });
      }
      detected += ports.length;
    }
    if (deadline) this.giveUp(deadline, passes, handed, ctx);
    return services;
  }

  /** A port handed over answered: an open|filtered one is open, once. */
  private answered(silent: Map<string, Probe>, host: string, port: number, ctx: DetectionStageContext): void {
    if (silent.delete(`${host} ${port}`)) ctx.opened(host, port);
  }

  /** Hosts whose -sV ports were not all probed by the deadline are given up on too; then each host given up on is reported, once. */
  private giveUp(deadline: HostDeadline, passes: readonly ScanPass[], handed: readonly Probe[][], ctx: DetectionStageContext): void {
    deadline.giveUpDetected(passes.flatMap((pass, i) => (pass.detector ? handed[i]!.map((p) => p.host) : [])));
    for (const host of deadline.givenUp) {
      ctx.bus.publish(ctx.factory.make("WarningIssued", { message: hostTimeoutMessage(host), severity: "medium", code: HOST_TIMEOUT_CODE }));
    }
  }
}

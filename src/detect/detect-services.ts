import type { FieldsOf, Protocol } from "../events/index.ts";
import { printableBanner } from "./banner.ts";
import type { CertificateFields } from "./certificate.ts";
import { identifyPort } from "./identify.ts";
import type { BannerFields, ServiceFields } from "./identify.ts";
import { ConcurrencyLimit } from "./limit.ts";
import { fromLatin1, latin1, matchResponse } from "./match.ts";
import { resolveDetectOptions } from "./options.ts";
import type { DetectOptions } from "./options.ts";
import type { ServiceProbe } from "./probes.ts";
import { udpExchange } from "./udp-exchange.ts";
import type { UdpExchange } from "./udp-exchange.ts";
import { udpPayloadsFor } from "./udp-payloads.ts";

export interface OpenPort {
  target: string;
  port: number;
  /** Tcp when absent. */
  protocol?: Protocol;
}

/** Where detection results go; the engine turns each into an event (factory.make + publish). */
export interface DetectionSink {
  service(fields: ServiceFields): void;
  banner(fields: BannerFields): void;
  certificate(fields: CertificateFields): void;
  warning?(fields: Pick<FieldsOf<"WarningIssued">, "message" | "code" | "severity">): void;
  /** A UDP port answered a probe (reported before its banner and service): an open|filtered one is open. */
  answered?(port: OpenPort): void;
  /** A port's detection is over, whatever it found (progress). */
  finished?(port: OpenPort): void;
}

export interface DetectServicesOptions extends DetectOptions {
  udpExchange: UdpExchange;
}

export interface DetectionSummary {
  ports: number;
  services: number;
  banners: number;
  certificates: number;
}

interface UdpDetection {
  service: ServiceFields | null;
  banner: BannerFields | null;
  /** Any reply came, recognised or not: proof the port is open. */
  answered: boolean;
}

/** The UDP payloads again, this time reading the answers; the first recognised answer wins. */
async function identifyUdp(port: OpenPort, options: DetectServicesOptions): Promise<UdpDetection> {
  let banner: BannerFields | null = null;
  let answered = false;
  for (const known of udpPayloadsFor(port.port, options.intensity)) {
    if (options.signal?.aborted) break;
    const answer = await options.udpExchange(port.target, port.port, fromLatin1(known.payload), { timeoutMs: options.probeTimeoutMs, signal: options.signal });
    // A port unreachable now: the port closed under us, nothing more to learn.
    if (answer.kind === "refused" || answer.kind === "unreachable") break;
    if (answer.kind !== "reply") continue;
    answered = true;
    const text = printableBanner(answer.bytes);
    if (banner === null && text !== "") banner = { target: port.target, port: port.port, protocol: "Udp", banner: text };
    const probe: ServiceProbe = { name: known.name, payload: known.payload, rarity: known.rarity, ports: known.ports, matches: known.matches };
    const match = matchResponse(probe, latin1(answer.bytes));
    if (match !== null) {
      return {
        service: { target: port.target, port: port.port, service: match.service, version: match.version, confidence: match.confidence },
        banner: text === "" ? banner : { target: port.target, port: port.port, protocol: "Udp", banner: text },
        answered,
      };
    }
  }
  return { service: null, banner, answered };
}

/**
 * -sV over open ports: at most `maxConcurrent` ports at once (and `maxPerHost`
 * per host), each reported to `sink` as soon as it is done. Resolves when all are.
 */
export async function detectServices(
  openPorts: Iterable<OpenPort>,
  partial: Partial<DetectServicesOptions>,
  sink: DetectionSink,
): Promise<DetectionSummary> {
  const options: DetectServicesOptions = { ...resolveDetectOptions(partial), udpExchange: partial.udpExchange ?? udpExchange };
  const overall = new ConcurrencyLimit(options.maxConcurrent);
  const perHost = new Map<string, ConcurrencyLimit>();
  const summary: DetectionSummary = { ports: 0, services: 0, banners: 0, certificates: 0 };
  const hostLimit = (target: string) => {
    let limit = perHost.get(target);
    if (limit === undefined) perHost.set(target, (limit = new ConcurrencyLimit(options.maxPerHost)));
    return limit;
  };
  const one = async (port: OpenPort) => {
    if (options.signal?.aborted) return;
    summary.ports++;
    try {
      const found =
        port.protocol === "Udp"
          ? { ...(await identifyUdp(port, options)), certificate: null }
          : { ...(await identifyPort(port.target, port.port, options)), answered: false };
      // Before the banner and service, so a report sees the port open when its service arrives.
      if (found.answered) sink.answered?.(port);
      if (found.banner) (summary.banners++, sink.banner(found.banner));
      if (found.certificate) (summary.certificates++, sink.certificate(found.certificate));
      if (found.service) (summary.services++, sink.service(found.service));
    } catch (err) {
      sink.warning?.({
        message: `service detection on ${port.target}:${port.port} failed: ${err instanceof Error ? err.message : String(err)}`,
        code: "detect-failed",
        severity: "low",
      });
    }
    sink.finished?.(port);
  };
  await Promise.all([...openPorts].map((port) => hostLimit(port.target).run(() => overall.run(() => one(port)))));
  return summary;
}

import type { Duplex } from "node:stream";
import type { FieldsOf } from "../events/index.ts";
import { printableBanner } from "./banner.ts";
import { certificateFields } from "./certificate.ts";
import type { CertificateFields } from "./certificate.ts";
import { tlsConnect } from "./connect.ts";
import type { Connect } from "./connect.ts";
import { converse } from "./exchange.ts";
import { answersProbe, fromLatin1, latin1, looksLikeTls, matchResponse } from "./match.ts";
import type { ServiceMatch } from "./match.ts";
import { PORT_GUESSES, PORT_GUESS_CONFIDENCE, TCP_PROBES, TLS_NAMES, TLS_PORTS } from "./probes.ts";
import type { ServiceProbe } from "./probes.ts";

export type ServiceFields = FieldsOf<"ServiceDetected">;
export type BannerFields = FieldsOf<"BannerGrabbed">;

export interface IdentifyOptions {
  /** 0-9: probes with rarity above it are skipped, except those registered for the port. */
  intensity: number;
  connect: Connect;
  connectTimeoutMs: number;
  /** How long one probe waits for its answer. */
  probeTimeoutMs: number;
  /** How long the NULL probe waits for a talk-first server. */
  bannerTimeoutMs: number;
  /** Once an answer started, how long a pause ends it. */
  idleMs: number;
  signal?: AbortSignal;
}

/** Everything detection learnt about one TCP port; each part maps 1:1 onto an event. */
export interface PortDetection {
  service: ServiceFields | null;
  banner: BannerFields | null;
  certificate: CertificateFields | null;
}

type Open = (signal: AbortSignal) => Promise<Duplex>;

interface Answer {
  probe: ServiceProbe;
  bytes: Uint8Array;
  match: ServiceMatch | null;
  /** Recognised by the probe's own matchers, not as a greeting. */
  answered: boolean;
  /** The server closed the connection without sending a byte. */
  hungUp: boolean;
}

interface Outcome {
  match: ServiceMatch | null;
  banner: Uint8Array | null;
  wantsTls: boolean;
  reachable: boolean;
}

const NULL_PROBE = TCP_PROBES[0]!;
const noop = () => {};
// nmap's name for a port that accepts and hangs up unprompted (a TCP wrapper refusing us, say), with its confidence.
const TCPWRAPPED: ServiceMatch = { service: "TCPWRAPPED", version: null, confidence: 80 };

/** The probes to send to `port` after the NULL probe: the port's own first, then by rarity. */
export function probesFor(port: number, intensity: number): ServiceProbe[] {
  const registered = (p: ServiceProbe) => p.ports.includes(port);
  return TCP_PROBES.filter((p) => p !== NULL_PROBE && (registered(p) || p.rarity <= intensity)).sort(
    (a, b) => Number(registered(b)) - Number(registered(a)) || a.rarity - b.rarity,
  );
}

async function runProbe(open: Open, probe: ServiceProbe, timeoutMs: number, options: IdentifyOptions, signal: AbortSignal): Promise<Answer | null> {
  let stream: Duplex;
  try {
    stream = await open(signal);
  } catch {
    return null;
  }
  stream.on("error", noop);
  try {
    const { bytes, closedByPeer } = await converse(stream, fromLatin1(probe.payload), {
      timeoutMs,
      idleMs: options.idleMs,
      signal,
      complete: (b) => matchResponse(probe, latin1(b)) !== null,
    });
    const text = latin1(bytes);
    return { probe, bytes, match: matchResponse(probe, text), answered: answersProbe(probe, text), hungUp: closedByPeer && bytes.length === 0 };
  } finally {
    stream.destroy();
  }
}

/** A greeting is shown whole; an HTTP-like answer up to the end of its header block; others by their first three lines. */
function bannerBytes(answer: Answer): Uint8Array {
  if (answer.probe === NULL_PROBE) return answer.bytes;
  const text = latin1(answer.bytes);
  const headerEnd = /^[A-Z]+\/\d/.test(text) ? text.indexOf("\r\n\r\n") : -1;
  if (headerEnd >= 0) return answer.bytes.subarray(0, headerEnd);
  let end = -1;
  for (let line = 0; line < 3; line++) {
    end = text.indexOf("\n", end + 1);
    if (end < 0) return answer.bytes;
  }
  return answer.bytes.subarray(0, end);
}

function outcome(answers: (Answer | null)[], reachable: boolean): Outcome {
  const heard = answers.filter((a): a is Answer => a !== null && a.bytes.length > 0);
  const matched = heard.find((a) => a.match !== null);
  const greeting = heard.find((a) => a.probe === NULL_PROBE);
  const shown = greeting ?? matched ?? heard[0];
  return {
    match: matched?.match ?? null,
    banner: shown === undefined ? null : bannerBytes(shown),
    wantsTls: heard.some((a) => looksLikeTls(latin1(a.bytes))),
    reachable,
  };
}

/**
 * Identifies the service behind `open`: the NULL probe (wait for a greeting)
 * runs alongside the first probe that speaks; a recognised answer to that probe
 * ends the NULL wait unless a greeting already arrived. Then the remaining
 * probes, one connection each, until one is recognised.
 */
async function identifyOver(open: Open, port: number, options: IdentifyOptions): Promise<Outcome> {
  const outer = options.signal ?? new AbortController().signal;
  const candidates = probesFor(port, options.intensity);
  const nullControl = new AbortController();
  const nullTask = runProbe(open, NULL_PROBE, options.bannerTimeoutMs, options, AbortSignal.any([outer, nullControl.signal]));
  const first = candidates[0];
  const firstAnswer = first === undefined ? null : await runProbe(open, first, options.probeTimeoutMs, options, outer);
  // Any answer to the first probe ends the NULL wait: a talk-first server would have greeted on
  // that connection too, before answering. A greeting there (an SSH server complaining about
  // our GET) still waits for the NULL probe's clean copy, which is then due at once.
  const spokeFirst = firstAnswer !== null && firstAnswer.bytes.length > 0 && firstAnswer.match !== null && !firstAnswer.answered;
  if (firstAnswer !== null && firstAnswer.bytes.length > 0 && !spokeFirst) nullControl.abort();
  const greeting = await nullTask;
  const answers = [greeting, firstAnswer];
  if (greeting === null && firstAnswer === null) return outcome(answers, false);
  if (greeting?.match != null) return outcome([greeting], true);
  // Hung up on while we waited for a greeting, and nothing said to the probe alongside either:
  // nmap's tcpwrapped. The other probes would only be hung up on too.
  if (greeting?.hungUp && (firstAnswer === null || firstAnswer.bytes.length === 0)) return { ...outcome(answers, true), match: TCPWRAPPED };
  for (const probe of candidates.slice(1)) {
    const current = outcome(answers, true);
    if (current.match !== null || current.wantsTls || outer.aborted) return current;
    const answer = await runProbe(open, probe, options.probeTimeoutMs, options, outer);
    if (answer === null) break;
    answers.push(answer);
  }
  return outcome(answers, true);
}

function serviceFields(target: string, port: number, match: ServiceMatch): ServiceFields {
  return { target, port, service: match.service, version: match.version, confidence: match.confidence };
}

function bannerFields(target: string, port: number, bytes: Uint8Array | null): BannerFields | null {
  if (bytes === null) return null;
  const banner = printableBanner(bytes);
  return banner === "" ? null : { target, port, protocol: "Tcp", banner };
}

/** TLS handshake, certificate, then the same identification inside TLS. Null when the port does not speak TLS. */
async function identifyTls(target: string, port: number, options: IdentifyOptions): Promise<PortDetection | null> {
  const outer = options.signal ?? new AbortController().signal;
  const open: Open = (signal) => tlsConnect(options.connect, target, port, options.connectTimeoutMs, signal);
  let certificate: CertificateFields | null = null;
  try {
    const secure = await tlsConnect(options.connect, target, port, options.connectTimeoutMs, outer);
    const raw = secure.getPeerCertificate(false)?.raw;
    secure.on("error", noop);
    secure.destroy();
    if (raw !== undefined && raw.length > 0) certificate = certificateFields(raw, target, port);
  } catch {
    return null;
  }
  const inner = await identifyOver(open, port, options);
  // A hang-up after the handshake tells nothing more: the handshake already showed a TLS service.
  const found = inner.match === TCPWRAPPED ? null : inner.match;
  const match: ServiceMatch = found
    ? { ...found, service: TLS_NAMES[found.service] ?? found.service }
    : { service: "TLS", version: null, confidence: 70 };
  return { service: serviceFields(target, port, match), banner: bannerFields(target, port, inner.banner), certificate };
}

/** Service, banner and certificate of one open TCP port, by the probes `options.intensity` allows. */
export async function identifyPort(target: string, port: number, options: IdentifyOptions): Promise<PortDetection> {
  const tlsFirst = TLS_PORTS.has(port);
  if (tlsFirst) {
    const secured = await identifyTls(target, port, options);
    if (secured !== null) return secured;
  }
  const plain = await identifyOver((signal) => options.connect(target, port, options.connectTimeoutMs, signal), port, options);
  const banner = bannerFields(target, port, plain.banner);
  if (!plain.reachable) return { service: null, banner: null, certificate: null };
  // Silent or unrecognised ports get a TLS handshake too: some servers only answer a ClientHello.
  const tryTls = !tlsFirst && (plain.wantsTls || (plain.match === null && options.intensity >= 1));
  if (tryTls) {
    const secured = await identifyTls(target, port, options);
    if (secured !== null) return secured;
  }
  if (plain.match !== null) return { service: serviceFields(target, port, plain.match), banner, certificate: null };
  const guess = PORT_GUESSES[port];
  const service = guess === undefined ? null : serviceFields(target, port, { service: guess, version: null, confidence: PORT_GUESS_CONFIDENCE });
  return { service, banner, certificate: null };
}

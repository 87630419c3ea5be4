import type { PortState, Protocol, ServiceDetected } from "../events/index.ts";
import { type PortNamer, serviceName } from "../scan/index.ts";
import { type VersionFields, versionFields } from "./version-fields.ts";

/** What the writers need of a host: its services and banners (a HostReport). */
export interface ServiceSource {
  service(port: number, protocol: Protocol): ServiceDetected | undefined;
  readonly banners: ReadonlyMap<string, { banner: string }>;
}

/** nmap's product, version, extra info, host name and OS type of one port's service, or null. */
export function portVersion(h: ServiceSource, port: number, protocol: Protocol): VersionFields | null {
  const svc = h.service(port, protocol);
  if (!svc || isTableGuess(svc)) return null;
  const banner = h.banners.get(`${protocol.toLowerCase()}/${port}`)?.banner ?? null;
  return versionFields(svc.service, svc.version, banner);
}

/** nmap's VERSION column text: "OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)", "Apache httpd 2.4.52 ((Ubuntu))". */
export function versionText(fields: VersionFields | null): string {
  if (fields === null) return "";
  const { product, version, extrainfo } = fields;
  return [product, version, extrainfo === null ? null : `(${extrainfo})`].filter((s) => s !== null && s !== "").join(" ");
}

// A protocol inside TLS: nmap names the inner protocol and marks the tunnel ("ssl/http"; XML tunnel="ssl").
const TLS_INNER: Readonly<Record<string, string>> = { HTTPS: "http", SMTPS: "smtp", IMAPS: "imap", POP3S: "pop3", FTPS: "ftp" };

/** The inner protocol of a service that probes found inside TLS, or null. */
export function tlsInner(svc: ServiceDetected | undefined): string | null {
  return svc === undefined || isTableGuess(svc) ? null : (TLS_INNER[svc.service] ?? null);
}

/**
 * Confidence at or below which a ServiceDetected names the service from the port
 * number alone (the detector's port guess), not from anything the port said.
 */
const GUESS_CONFIDENCE = 10;

/** Whether the service row is a guess from the port table rather than an identification. */
export function isTableGuess(svc: ServiceDetected | undefined): boolean {
  return svc === undefined || svc.confidence <= GUESS_CONFIDENCE;
}

/**
 * The SERVICE column of normal and grepable output. As nmap's, a name with -sV
 * that probes did not confirm on an open port ends in "?" ("abyss?"); "unknown"
 * and closed or filtered ports (never probed) keep the plain name.
 */
export function serviceColumn(
  svc: ServiceDetected | undefined,
  port: number,
  protocol: Protocol,
  state: PortState,
  serviceScan: boolean,
  portName: PortNamer = serviceName,
): string {
  const inner = tlsInner(svc);
  if (inner !== null) return `ssl/${inner}`;
  const name = svc ? svc.service.toLowerCase() : portName(port, protocol);
  const unconfirmed = serviceScan && state === "Open" && name !== "unknown" && isTableGuess(svc);
  return unconfirmed ? `${name}?` : name;
}

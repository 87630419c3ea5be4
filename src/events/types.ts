// The event contract of design.md. Property order in every interface is the
// order keys are written in a log line: event, scan_id, fields, seq, timestamp.

export type ScanType = "Syn" | "Connect" | "Udp" | "Fin" | "Null" | "Xmas" | "Ack";
export type PauseReason = "user_requested" | "rate_limited" | "resource_exhaustion";
export type DiscoveryMethod = "ICMP" | "ARP" | "NDP" | "TCP" | "UDP";
export type Protocol = "Tcp" | "Udp";
export type PortState = "Open" | "Closed" | "Filtered" | "OpenFiltered";
export type PortReason =
  | "syn-ack"
  | "rst"
  | "no-response"
  | "icmp-unreach"
  | "udp-response"
  | "connect";
export type StageName =
  | "TargetResolution"
  | "HostDiscovery"
  | "PortScanning"
  | "ServiceDetection"
  | "Finalization";
export type MetricName =
  | "packets_sent"
  | "packets_received"
  | "packets_dropped"
  | "bytes_sent"
  | "bytes_received"
  | "rtt_ms";
export type Severity = "low" | "medium" | "high";

/** Common head and tail of every bus event. `timestamp` is epoch milliseconds until encoded. */
interface Stamped<E extends string> {
  event: E;
  scan_id: string;
  seq: number;
  timestamp: number;
}

export interface ScanStarted extends Stamped<"ScanStarted"> {
  scan_type: ScanType;
  target_count: number;
  port_count: number;
}
export interface ScanCompleted extends Stamped<"ScanCompleted"> {
  targets_scanned: number;
  ports_scanned: number;
  duration: number;
  hosts_up: number;
  open_ports: number;
  closed_ports: number;
  filtered_ports: number;
  services_detected: number;
}
export interface ScanCancelled extends Stamped<"ScanCancelled"> {
  reason: string;
  partial_results: boolean;
}
export interface ScanPaused extends Stamped<"ScanPaused"> {
  reason: PauseReason;
}
export interface ScanResumed extends Stamped<"ScanResumed"> {
  paused_seconds: number;
}
export interface HostDiscovered extends Stamped<"HostDiscovered"> {
  ip: string;
  method: DiscoveryMethod;
  latency_ms: number | null;
}
export interface PortFields {
  target: string;
  port: number;
  protocol: Protocol;
  state: PortState;
  reason: PortReason;
}
export interface PortFound extends Stamped<"PortFound">, PortFields {}
export interface IPv6PortFound extends Stamped<"IPv6PortFound">, PortFields {}
export interface ServiceDetected extends Stamped<"ServiceDetected"> {
  target: string;
  port: number;
  service: string;
  version: string | null;
  confidence: number;
}
export interface OSDetected extends Stamped<"OSDetected"> {
  target: string;
  os: string;
  os_version: string | null;
  confidence: number;
}
export interface BannerGrabbed extends Stamped<"BannerGrabbed"> {
  target: string;
  port: number;
  protocol: Protocol;
  banner: string;
}
export interface CertificateFound extends Stamped<"CertificateFound"> {
  target: string;
  port: number;
  subject: string;
  issuer: string;
  valid_from: string | null;
  valid_until: string | null;
  san: string[];
  sha256: string;
  self_signed: boolean;
}
export interface ProgressUpdate extends Stamped<"ProgressUpdate"> {
  stage: number;
  percentage: number;
  completed: number;
  total: number;
  pps: number;
  ports_per_sec: number;
  hosts_per_min: number;
  bandwidth_bps: number;
  eta_seconds: number | null;
}
export interface StageChanged extends Stamped<"StageChanged"> {
  from: StageName | null;
  to: StageName;
  stage: number;
}
export interface MetricRecorded extends Stamped<"MetricRecorded"> {
  metric: MetricName;
  value: number;
}
export interface WarningIssued extends Stamped<"WarningIssued"> {
  message: string;
  severity: Severity;
  code: string;
}
export interface RateLimitTriggered extends Stamped<"RateLimitTriggered"> {
  /** Probes sent per second over the last 2 s (the ProgressUpdate's pps). */
  current_rate: number;
  target_rate: number;
  /** Wall time since the previous report during which the cap held sends back. */
  duration_ms: number;
}
export interface RetryScheduled extends Stamped<"RetryScheduled"> {
  target: string;
  port: number;
  attempt: number;
  delay_ms: number;
}

export type ScanEvent =
  | ScanStarted
  | ScanCompleted
  | ScanCancelled
  | ScanPaused
  | ScanResumed
  | HostDiscovered
  | PortFound
  | IPv6PortFound
  | ServiceDetected
  | OSDetected
  | BannerGrabbed
  | CertificateFound
  | ProgressUpdate
  | StageChanged
  | MetricRecorded
  | WarningIssued
  | RateLimitTriggered
  | RetryScheduled;

export type EventType = ScanEvent["event"];
export type EventOf<T extends EventType> = Extract<ScanEvent, { event: T }>;
/** The fields a caller supplies; the factory stamps the rest. */
export type FieldsOf<T extends EventType> = Omit<EventOf<T>, "event" | "scan_id" | "seq" | "timestamp">;

/**
 * An event this build does not know (a newer writer, a foreign tool). Readers
 * and the bus carry it untouched; `raw` keeps the original line when decoded.
 */
export interface UnknownEvent {
  event: string;
  scan_id?: string;
  seq?: number;
  timestamp?: number;
  raw?: string;
  [field: string]: unknown;
}

export type AnyEvent = ScanEvent | UnknownEvent;

export type Category = "lifecycle" | "discovery" | "detection" | "progress" | "diagnostic";

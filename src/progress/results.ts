import type { Protocol, Severity } from "../events/index.ts";

export interface PortRow {
  readonly target: string;
  readonly port: number;
  readonly protocol: Protocol;
  state: string;
  service: string | null;
  version: string | null;
  /** ServiceDetected's confidence: 10 or less is a guess from the port number (service-text.ts). */
  confidence?: number | null;
  banner: string | null;
}

export interface WarningRow {
  readonly at: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

/** One line of printable text: control characters become spaces, runs of space shrink. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/ {2,}/g, " ").trim();
}

/** Open ports in arrival order, with the service and banner found for each later. */
export class PortTable {
  readonly rows: PortRow[] = [];
  private readonly byKey = new Map<string, PortRow>();

  private row(target: string, port: number, protocol: Protocol, state: string): PortRow {
    const key = `${target}|${port}|${protocol}`;
    let row = this.byKey.get(key);
    if (row === undefined) {
      row = { target, port, protocol, state, service: null, version: null, confidence: null, banner: null };
      this.byKey.set(key, row);
      this.rows.push(row);
    }
    return row;
  }

  open(target: string, port: number, protocol: Protocol, state: string): void {
    this.row(target, port, protocol, state).state = state;
  }

  service(target: string, port: number, service: string, version: string | null, confidence: number | null = null): void {
    const row = this.byKey.get(`${target}|${port}|Tcp`) ?? this.byKey.get(`${target}|${port}|Udp`) ?? this.row(target, port, "Tcp", "Open");
    row.service = service;
    row.version = version;
    row.confidence = confidence;
  }

  banner(target: string, port: number, protocol: Protocol, banner: string): void {
    this.row(target, port, protocol, "Open").banner = oneLine(banner);
  }
}

/** The newest warnings, oldest first. */
export class WarningLog {
  readonly rows: WarningRow[] = [];
  total = 0;

  constructor(private readonly keep = 200) {}

  add(row: WarningRow): void {
    this.total++;
    this.rows.push({ ...row, message: oneLine(row.message) });
    if (this.rows.length > this.keep) this.rows.shift();
  }
}

/** Packets per second for each second of the scan, the last `seconds` of them kept. */
export class RateHistory {
  private readonly values: Float64Array;
  private readonly secondOf: Float64Array;

  constructor(readonly seconds = 60) {
    this.values = new Float64Array(seconds);
    this.secondOf = new Float64Array(seconds).fill(-1);
  }

  record(second: number, value: number): void {
    const slot = second % this.seconds;
    this.values[slot] = value;
    this.secondOf[slot] = second;
  }

  /** The `seconds` values ending at `second`; a second without a sample repeats the one before. */
  series(second: number): number[] {
    const out: number[] = [];
    let carry = 0;
    for (let s = second - this.seconds + 1; s <= second; s++) {
      if (s < 0) {
        out.push(0);
        continue;
      }
      const slot = s % this.seconds;
      if (this.secondOf[slot] === s) carry = this.values[slot]!;
      out.push(carry);
    }
    return out;
  }
}

// SYN-ACK traits of common TCP/IP stacks, p0f-style: initial TTL, the order of
// TCP options, window and window-scale habits. Written from the stacks'
// documented defaults; not copied from p0f.fp or nmap-os-db.

export interface OsSignature {
  readonly os: string;
  readonly osVersion: string | null;
  /** Initial TTL the stack sets (32, 64, 128 or 255). */
  readonly ttl: number;
  /** Option layouts, kinds joined by commas, as the stack sends them. */
  readonly layouts: readonly string[];
  /** Windows the stack advertises; "mss-multiple" accepts any multiple of the MSS (or MSS minus 12). */
  readonly windows: readonly (number | "mss-multiple")[];
  readonly wscales: readonly number[];
}

export const OS_SIGNATURES: readonly OsSignature[] = [
  {
    os: "Linux",
    osVersion: null,
    ttl: 64,
    layouts: ["mss,sackOK,ts,nop,wscale", "mss,nop,nop,sackOK,nop,wscale", "mss,sackOK,ts", "mss,nop,nop,sackOK"],
    windows: ["mss-multiple", 65535, 65160, 64240, 43690, 29200, 28960, 14600, 14480, 5840, 5792],
    wscales: [7, 9, 10, 6, 2, 5],
  },
  {
    os: "Windows",
    osVersion: null,
    ttl: 128,
    layouts: ["mss,nop,wscale,sackOK", "mss,nop,wscale,nop,nop,sackOK", "mss,nop,nop,sackOK", "mss,nop,wscale,nop,nop,ts,nop,nop,sackOK"],
    windows: [65535, 64240, 8192, 16384, 65160],
    wscales: [8, 0, 2],
  },
  {
    os: "FreeBSD",
    osVersion: null,
    ttl: 64,
    layouts: ["mss,nop,wscale,sackOK,ts"],
    windows: [65535, 65228],
    wscales: [6, 3],
  },
  {
    os: "macOS",
    osVersion: null,
    ttl: 64,
    layouts: ["mss,nop,wscale,nop,nop,ts,sackOK,eol", "mss,nop,wscale,nop,nop,ts,sackOK,eol,eol"],
    windows: [65535],
    wscales: [6, 5, 4],
  },
  {
    os: "OpenBSD",
    osVersion: null,
    ttl: 64,
    layouts: ["mss,nop,nop,sackOK,nop,wscale,nop,nop,ts"],
    windows: [16384],
    wscales: [3, 6],
  },
  {
    os: "Cisco IOS",
    osVersion: null,
    ttl: 255,
    layouts: ["mss"],
    windows: [4128, 4096, 16384],
    wscales: [],
  },
];

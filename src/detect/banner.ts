import { exchange } from "./exchange.ts";
import type { Connect } from "./connect.ts";

export const MAX_BANNER = 1024;

const ESCAPES: Readonly<Record<number, string>> = { 0x09: "\\t", 0x0a: "\\n", 0x0d: "\\r", 0x5c: "\\\\" };

/**
 * What a server said, as one printable line of at most 1 KiB: printable ASCII
 * kept, `\r` `\n` `\t` `\\` escaped, every other byte as `\xNN`. Trailing
 * line ends are dropped; an escape is never cut in half.
 */
export function printableBanner(bytes: Uint8Array, max = MAX_BANNER): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x00)) end--;
  let out = "";
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    const piece = ESCAPES[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "\\x" + b.toString(16).padStart(2, "0"));
    if (out.length + piece.length > max) break;
    out += piece;
  }
  return out;
}

export interface GrabOptions {
  connect: Connect;
  connectTimeoutMs: number;
  /** How long to wait for the server to speak. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Connects, says nothing, and returns the printable greeting, or null when the server stayed silent. */
export async function grabBanner(host: string, port: number, options: GrabOptions): Promise<string | null> {
  const socket = await options.connect(host, port, options.connectTimeoutMs, options.signal);
  try {
    const bytes = await exchange(socket, new Uint8Array(0), { timeoutMs: options.timeoutMs, signal: options.signal });
    const banner = printableBanner(bytes);
    return banner === "" ? null : banner;
  } finally {
    socket.destroy();
  }
}

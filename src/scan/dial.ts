import { connect } from "node:net";

// One TCP connect attempt, reduced to what a scanner learns from it.

export type DialOutcome =
  | "open" // the handshake completed
  | "refused" // RST: ECONNREFUSED
  | "timeout" // nothing answered in time
  | "unreachable" // ICMP host/net unreachable, or no route
  | "busy"; // out of sockets or local ports: try again later, not the target's doing

export type Dial = (host: string, port: number, timeoutMs: number, signal: AbortSignal) => Promise<DialOutcome>;

const UNREACHABLE = new Set(["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN", "EACCES", "EPERM"]);
const BUSY = new Set(["EMFILE", "ENFILE", "EADDRNOTAVAIL", "ENOBUFS", "EAGAIN", "EADDRINUSE"]);

export function classifyError(code: string | undefined): DialOutcome {
  if (code === "ECONNREFUSED" || code === "ECONNRESET") return "refused";
  if (code !== undefined && UNREACHABLE.has(code)) return "unreachable";
  if (code !== undefined && BUSY.has(code)) return "busy";
  return "timeout";
}

/** The two ends of a connected socket, as node:net and Bun's sockets both name them. */
export interface SocketEnds {
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}

/**
 * A connect to a closed port on one of our own addresses can be given that
 * port as its ephemeral source port; the SYN then meets itself and the kernel
 * completes a simultaneous open with no listener at all (1 in ~28,000 connects
 * to 32768-60999 on loopback). Nothing listens there, and a listener would have
 * kept the port out of the ephemeral pick, so the port is closed: nmap says
 * conn-refused.
 */
export function connectedToItself(s: SocketEnds): boolean {
  return s.localPort !== undefined && s.localPort === s.remotePort && s.localAddress !== undefined && s.localAddress === s.remoteAddress;
}

/** Where the connecting end binds; only tests pin it, to make a self-connect happen on purpose. */
export interface LocalEnd {
  localAddress?: string;
  localPort?: number;
}

/** node:net connect: the socket is destroyed as soon as the outcome is known, never written to. */
export const createNetDial = (local: LocalEnd = {}): Dial => (host, port, timeoutMs, signal) =>
  new Promise((resolve) => {
    let done = false;
    const socket = connect({ host, port, ...local });
    const finish = (outcome: DialOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish("timeout");
    const timer = setTimeout(onAbort, timeoutMs);
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => finish(connectedToItself(socket) ? "refused" : "open"));
    socket.once("error", (err: NodeJS.ErrnoException) => finish(classifyError(err.code)));
  });

export const netDial: Dial = createNetDial();

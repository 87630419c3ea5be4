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

/** node:net connect: the socket is destroyed as soon as the outcome is known, never written to. */
export const netDial: Dial = (host, port, timeoutMs, signal) =>
  new Promise((resolve) => {
    let done = false;
    const socket = connect({ host, port });
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
    socket.once("connect", () => finish("open"));
    socket.once("error", (err: NodeJS.ErrnoException) => finish(classifyError(err.code)));
  });

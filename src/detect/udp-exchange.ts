import dgram from "node:dgram";
import net from "node:net";
import { monotonicClock } from "../runtime/capabilities.ts";
import type { MonotonicClock } from "../runtime/capabilities.ts";

export type UdpAnswer =
  | { kind: "reply"; bytes: Uint8Array; rttMs: number }
  /** An ICMP port unreachable: Linux reports it as ECONNREFUSED on a connected socket. */
  | { kind: "refused"; rttMs: number }
  /** Host, network or admin unreachable: something on the path filters the port. */
  | { kind: "unreachable"; rttMs: number }
  | { kind: "silent" };

export interface UdpExchangeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  clock?: MonotonicClock;
}

export type UdpExchange = (host: string, port: number, payload: Uint8Array, options: UdpExchangeOptions) => Promise<UdpAnswer>;

function answerForError(code: string | undefined, rttMs: number): UdpAnswer {
  if (code === "ECONNREFUSED") return { kind: "refused", rttMs };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EACCES" || code === "EPERM") return { kind: "unreachable", rttMs };
  return { kind: "silent" };
}

/**
 * One datagram on its own connected socket (so the kernel hands us the ICMP
 * error for exactly this port), then the first reply, the refusal, or silence.
 */
export const udpExchange: UdpExchange = (host, port, payload, options) => {
  const clock = options.clock ?? monotonicClock;
  const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
  return new Promise<UdpAnswer>((resolve) => {
    let sentAt = clock.now();
    let done = false;
    const timer = setTimeout(() => finish({ kind: "silent" }), options.timeoutMs);
    const onAbort = () => finish({ kind: "silent" });
    function finish(answer: UdpAnswer) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      try {
        socket.close();
      } catch {
        // already closed by the error path
      }
      resolve(answer);
    }
    socket.on("message", (bytes) => finish({ kind: "reply", bytes: new Uint8Array(bytes), rttMs: clock.now() - sentAt }));
    socket.on("error", (err: NodeJS.ErrnoException) => finish(answerForError(err.code, clock.now() - sentAt)));
    if (options.signal?.aborted) return finish({ kind: "silent" });
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.connect(port, host, () => {
      sentAt = clock.now();
      socket.send(payload, (err) => {
        if (err) finish(answerForError((err as NodeJS.ErrnoException).code, clock.now() - sentAt));
      });
    });
  });
};

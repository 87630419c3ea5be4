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

/** Where the probe socket binds; only tests pin it, to make the socket's port the target's on purpose. */
export interface UdpLocalEnd {
  localAddress?: string;
  localPort?: number;
}

interface End {
  address: string;
  port: number;
}

/**
 * The socket's own port was picked as the target's: on one of our addresses
 * the probe would be delivered back to this socket and read as the port's
 * reply. An ephemeral pick never takes a port another UDP socket holds, so no
 * service is there: the port is closed, as for a refusal.
 */
export function sentToItself(local: End, remote: End): boolean {
  return local.port === remote.port && local.address === remote.address;
}

/**
 * One datagram on its own connected socket (so the kernel hands us the ICMP
 * error for exactly this port), then the first reply, the refusal, or silence.
 */
export const createUdpExchange = (local: UdpLocalEnd = {}): UdpExchange => (host, port, payload, options) => {
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
    const send = () => socket.connect(port, host, () => {
      if (sentToItself(socket.address(), socket.remoteAddress())) return finish({ kind: "refused", rttMs: 0 });
      sentAt = clock.now();
      socket.send(payload, (err) => {
        if (err) finish(answerForError((err as NodeJS.ErrnoException).code, clock.now() - sentAt));
      });
    });
    if (local.localPort === undefined && local.localAddress === undefined) send();
    else socket.bind({ port: local.localPort ?? 0, address: local.localAddress }, send);
  });
};

export const udpExchange: UdpExchange = createUdpExchange();

import type { Dial } from "../scan/dial.ts";
import { classifyError } from "../scan/dial.ts";

/**
 * The connect scan's dial on Bun's own sockets: about twice the connects per
 * second of node:net on loopback (measured: 65,535 refused connects in ~1.2 s
 * against ~2.3 s), because no stream object is built per attempt.
 */
export const bunDial: Dial = (host, port, timeoutMs, signal) =>
  new Promise((resolve) => {
    let done = false;
    let socket: { end(): void } | null = null;
    const finish = (outcome: Awaited<ReturnType<Dial>>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      socket?.end();
      resolve(outcome);
    };
    const onAbort = () => finish("timeout");
    const timer = setTimeout(onAbort, timeoutMs);
    signal.addEventListener("abort", onAbort, { once: true });
    const failed = (err: unknown) => finish(classifyError((err as { code?: string } | undefined)?.code));
    Bun.connect({
      hostname: host,
      port,
      socket: {
        open(s) {
          if (done) s.end();
          else {
            socket = s;
            finish("open");
          }
        },
        data() {},
        connectError: (_s, err) => failed(err),
      },
    }).then(
      (s) => {
        // a timeout that fired before the handshake leaves a late socket to close
        if (done && s !== socket) s.end();
      },
      failed,
    );
  });

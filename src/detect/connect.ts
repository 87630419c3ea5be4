import net from "node:net";
import tls from "node:tls";

/** Opens a TCP stream; detection takes it as a parameter so callers (and tests) choose how. */
export type Connect = (host: string, port: number, timeoutMs: number, signal?: AbortSignal) => Promise<net.Socket>;

function settleOnce(socket: net.Socket, readyEvent: string, timeoutMs: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => fail(new Error(`${what} aborted`));
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.off("error", fail);
      socket.off(readyEvent, ready);
    };
    function fail(err: Error) {
      cleanup();
      socket.destroy();
      reject(err);
    }
    function ready() {
      cleanup();
      resolve();
    }
    if (signal?.aborted) return fail(new Error(`${what} aborted`));
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("error", fail);
    socket.once(readyEvent, ready);
  });
}

// Errors are read by whoever waits on the stream (settleOnce, exchange); this keeps a late
// reset, after they stopped listening, from becoming an uncaught 'error' event.
const ignoreLateErrors = () => {};

/** The default Connect: a plain node:net connection with a timeout. */
export const tcpConnect: Connect = async (host, port, timeoutMs, signal) => {
  const socket = net.connect({ host, port });
  socket.on("error", ignoreLateErrors);
  await settleOnce(socket, "connect", timeoutMs, signal, `connect to ${host}:${port}`);
  return socket;
};

/** TLS over a stream from `connect`, accepting any certificate: we inspect it, we do not trust it. */
export async function tlsConnect(
  connect: Connect,
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<tls.TLSSocket> {
  const raw = await connect(host, port, timeoutMs, signal);
  const secure = tls.connect({
    socket: raw,
    rejectUnauthorized: false,
    // SNI must be a name, never an address literal.
    ...(net.isIP(host) === 0 ? { servername: host } : {}),
  });
  raw.on("error", ignoreLateErrors);
  secure.on("error", ignoreLateErrors);
  try {
    await settleOnce(secure, "secureConnect", timeoutMs, signal, `TLS handshake with ${host}:${port}`);
  } catch (err) {
    raw.destroy();
    throw err;
  }
  return secure;
}

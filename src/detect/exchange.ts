import type { Duplex } from "node:stream";

export interface ExchangeOptions {
  /** Longest wait for an answer, from the moment the payload is written. */
  timeoutMs: number;
  /** After some data arrived, stop once the stream has been quiet this long. */
  idleMs?: number;
  /** Stop reading beyond this many bytes. */
  maxBytes?: number;
  /** Stop as soon as the bytes so far are a complete answer. */
  complete?: (bytes: Uint8Array) => boolean;
  signal?: AbortSignal;
}

export interface Conversation {
  bytes: Uint8Array;
  /** The peer ended or reset the stream before our time ran out (a tcpwrapped port, when nothing came). */
  closedByPeer: boolean;
}

/**
 * Writes `payload` (nothing when empty) and collects the answer until it is
 * complete, the stream goes quiet or closes, or time runs out. Never throws:
 * a reset after some bytes still returns those bytes. Does not close the stream.
 */
export async function exchange(stream: Duplex, payload: Uint8Array, options: ExchangeOptions): Promise<Uint8Array> {
  return (await converse(stream, payload, options)).bytes;
}

/** `exchange`, also telling whether the peer closed the stream. */
export function converse(stream: Duplex, payload: Uint8Array, options: ExchangeOptions): Promise<Conversation> {
  const idleMs = options.idleMs ?? 250;
  const maxBytes = options.maxBytes ?? 8192;
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const deadline = setTimeout(() => finish(), options.timeoutMs);
    const onAbort = () => finish();
    function collected(): Uint8Array {
      if (chunks.length === 1) return chunks[0]!;
      const all = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        all.set(chunk, at);
        at += chunk.length;
      }
      chunks.splice(0, chunks.length, all);
      return all;
    }
    function onData(chunk: Uint8Array) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes || options.complete?.(collected())) return finish();
      clearTimeout(idle);
      idle = setTimeout(() => finish(), idleMs);
    }
    const closed = () => finish(true);
    function finish(closedByPeer = false) {
      clearTimeout(deadline);
      clearTimeout(idle);
      options.signal?.removeEventListener("abort", onAbort);
      stream.off("data", onData);
      stream.off("end", closed);
      stream.off("close", closed);
      stream.off("error", closed);
      const bytes = collected();
      resolve({ bytes: bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes, closedByPeer });
    }
    if (options.signal?.aborted) return finish();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    stream.on("data", onData);
    stream.once("end", closed);
    stream.once("close", closed);
    stream.once("error", closed);
    if (payload.length > 0) stream.write(payload);
  });
}

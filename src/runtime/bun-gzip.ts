import type { GzipReply, GzipRequest } from "./gzip-thread.ts";
import { workerEntry } from "./worker-entry.ts";

type Gzip = (bytes: Uint8Array) => Promise<Uint8Array>;

const ENTRY = workerEntry("runtime/gzip-thread.ts");

/**
 * Gzip through one long-lived, low-priority worker thread (gzip-thread.ts),
 * started at the first call. A worker that cannot start or dies fails the
 * calls waiting on it; the caller keeps the plain file then.
 *
 * Input that owns its whole buffer (a file just read) is transferred, not
 * copied: cloning 50 MB cost the caller's thread ~30 ms a file. The caller must
 * not use such input afterwards (it is detached).
 */
export function threadGzip(): Gzip {
  let worker: Worker | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  const failAll = (why: string) => {
    for (const w of waiting.values()) w.reject(new Error(why));
    waiting.clear();
    worker = null;
  };
  const start = (): Worker => {
    const w = new Worker(ENTRY);
    w.onmessage = (m: MessageEvent<GzipReply>) => {
      const call = waiting.get(m.data.id);
      waiting.delete(m.data.id);
      if (waiting.size === 0) w.unref();
      if (!call) return;
      if ("error" in m.data) call.reject(new Error(m.data.error));
      else call.resolve(m.data.bytes);
    };
    w.onerror = (e) => {
      failAll(`gzip thread failed: ${e.message}`);
      w.terminate();
    };
    return w;
  };
  return (bytes) =>
    new Promise((resolve, reject) => {
      worker ??= start();
      // A thread with calls in flight keeps the process alive until they are done; an idle one does not.
      worker.ref();
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      const request: GzipRequest = { id, bytes };
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      worker.postMessage(request, whole ? [bytes.buffer as ArrayBuffer] : []);
    });
}

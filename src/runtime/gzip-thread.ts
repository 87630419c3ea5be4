// Worker entry (Bun): gzips rotated event logs on a thread of its own at the
// lowest CPU priority. On a machine with few cores the deflate of a 50 MB file
// otherwise takes a core from the scan and the log writer exactly when they are
// busiest; niced, it runs on what they leave idle and catches up afterwards.
import { gzipSync } from "node:zlib";
import { bunLoader } from "../../ffi/bun.ts";

declare const self: Worker;

export interface GzipRequest {
  id: number;
  bytes: Uint8Array;
}
export type GzipReply = { id: number; bytes: Uint8Array } | { id: number; error: string };

/** Linux keeps a nice value per thread: PRIO_PROCESS with who = 0 lowers this thread only. */
function lowerPriority(): void {
  try {
    const libc = bunLoader.open<{ setpriority(which: number, who: number, prio: number): number }>(["libc.so.6"], {
      setpriority: { params: ["i32", "u32", "i32"], result: "i32" },
    });
    libc.fns.setpriority(0, 0, 19);
  } catch {
    // No libc to call: the deflate runs at normal priority, as the zlib pool would.
  }
}

lowerPriority();
self.onmessage = (message: MessageEvent<GzipRequest>) => {
  const { id, bytes } = message.data;
  let reply: GzipReply;
  try {
    reply = { id, bytes: gzipSync(bytes, { level: 1 }) };
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply, "bytes" in reply ? [reply.bytes.buffer as ArrayBuffer] : []);
};

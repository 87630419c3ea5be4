// The kicking thread's loop for a TX ring (tx-ring-batch.ts): whenever the scan
// has published frames since the last kick, one send(fd, NULL, 0) hands the
// kernel every flagged frame, on this core instead of the scan's.
import type { NativeMemory, Pointer } from "./native.ts";
import { ERRNO, type LibcFunctions } from "./symbols.ts";
import { TX_RING_BYTES } from "./tx-ring.ts";
import { flaggedWait } from "./flagged-wait.ts";
import { lastErrno } from "./errno.ts";

/** Int32 words of the control block; the `…Waits` words as in send-ring.ts: wake the other side only when it sleeps. */
export const KICK = { written: 0, kicked: 1, errno: 2, stop: 3, kickerWaits: 4, scanWaits: 5, done: 6 } as const;

export function kickBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(64);
}

/**
 * Kicks until told to stop; then raises `done`, unmaps the ring and closes the
 * socket itself. The thread that sends on a socket number is the one to close
 * it, so no kick can reach a socket opened since under the same number; and
 * munmap and close of a TX ring take the kernel ~20 ms each (RCU grace periods),
 * which here run beside the scan's own teardown instead of after it.
 */
export function kickLoop(sab: SharedArrayBuffer, ring: { fd: number; map: Pointer }, flags: number, libc: Pick<LibcFunctions, "send" | "munmap" | "close" | "__errno_location">, memory: NativeMemory): void {
  const ctrl = new Int32Array(sab);
  try {
    kicks(ctrl, ring.fd, flags, libc, memory);
  } finally {
    Atomics.store(ctrl, KICK.done, 1);
    Atomics.notify(ctrl, KICK.done);
    libc.munmap(ring.map, TX_RING_BYTES);
    libc.close(ring.fd);
  }
}

function kicks(ctrl: Int32Array, fd: number, flags: number, libc: Pick<LibcFunctions, "send" | "__errno_location">, memory: NativeMemory): void {
  let kicked = Atomics.load(ctrl, KICK.kicked);
  for (;;) {
    const written = Atomics.load(ctrl, KICK.written);
    if (written === kicked) {
      if (Atomics.load(ctrl, KICK.stop) !== 0) return;
      flaggedWait(ctrl, KICK.written, KICK.kickerWaits, written, 100);
      continue;
    }
    if (libc.send(fd, null, 0, flags) < 0) {
      const errno = lastErrno(libc, memory);
      // Out of buffer space: the frame stays flagged and the next kick sends it.
      if (errno === ERRNO.EINTR || errno === ERRNO.EAGAIN || errno === ERRNO.ENOBUFS) continue;
      Atomics.store(ctrl, KICK.errno, errno || -1);
      Atomics.notify(ctrl, KICK.kicked);
      return;
    }
    kicked = written;
    Atomics.store(ctrl, KICK.kicked, kicked);
    if (Atomics.load(ctrl, KICK.scanWaits) !== 0) Atomics.notify(ctrl, KICK.kicked);
  }
}

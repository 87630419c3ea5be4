// The memory a sending thread and the scan share (one SharedArrayBuffer), and
// the thread's loop. The scan frames probes into slots and publishes how many
// it wrote; the thread hands them to the kernel with sendmmsg(2) and publishes
// how many it sent. Both counters only grow (wrapping as int32), so each side
// writes one of them and reads the other: no locks.
import { linkMessages, onSendError, SLOT_SIZE } from "./batch.ts";
import type { NativeMemory } from "./native.ts";
import { IOVEC, MMSGHDR, type LibcFunctions } from "./symbols.ts";
import { flaggedWait } from "./flagged-wait.ts";
import { lastErrno } from "./errno.ts";

/** Frames in flight at most: at 1 M frames/s, 4 ms of sends. A power of two. */
export const RING_SLOTS = 4096;
/** Bytes per frame, as in the scan's own batches. */
export const RING_SLOT_SIZE = SLOT_SIZE;
/** Frames per sendmmsg call at most (the kernel's UIO_MAXIOV is 1024). */
const SEND_MAX = 1024;

/**
 * Int32 words of the control block. Each side raises its `…Waits` word while it
 * sleeps in Atomics.wait, and the other side wakes it only then: a notify costs
 * a system call, and one per batch of frames took a quarter of the scan's thread.
 */
export const CTRL = { written: 0, sent: 1, errno: 2, stop: 3, ready: 4, senderWaits: 5, scanWaits: 6 } as const;
const CTRL_BYTES = 64;

export interface RingLayout {
  readonly ctrl: Int32Array;
  readonly frames: Uint8Array;
  /** The iovecs as 32-bit words: frame i's length is word 4i + 2. */
  readonly lengths: Uint32Array;
  readonly iovecs: BigUint64Array;
  readonly msgs: BigUint64Array;
}

export function ringBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(CTRL_BYTES + RING_SLOTS * (RING_SLOT_SIZE + IOVEC.size + MMSGHDR.size));
}

export function ringLayout(sab: SharedArrayBuffer): RingLayout {
  const framesAt = CTRL_BYTES;
  const iovAt = framesAt + RING_SLOTS * RING_SLOT_SIZE;
  const msgsAt = iovAt + RING_SLOTS * IOVEC.size;
  return {
    ctrl: new Int32Array(sab, 0, CTRL_BYTES / 4),
    frames: new Uint8Array(sab, framesAt, RING_SLOTS * RING_SLOT_SIZE),
    lengths: new Uint32Array(sab, iovAt, (RING_SLOTS * IOVEC.size) / 4),
    iovecs: new BigUint64Array(sab, iovAt, (RING_SLOTS * IOVEC.size) / 8),
    msgs: new BigUint64Array(sab, msgsAt, (RING_SLOTS * MMSGHDR.size) / 8),
  };
}

/**
 * The sending thread's loop: waits for frames, sends them in order, stops when
 * told to and everything written is sent, or at the first send error it cannot
 * ride out (its errno is left in the control block for the scan to report).
 */
export function sendLoop(sab: SharedArrayBuffer, fd: number, libc: Pick<LibcFunctions, "sendmmsg" | "__errno_location">, memory: NativeMemory): void {
  const ring = ringLayout(sab);
  const { ctrl } = ring;
  // The structures C reads point into the shared memory itself, so building them once suffices.
  const iovAt = memory.addressOf(new Uint8Array(ring.iovecs.buffer, ring.iovecs.byteOffset, ring.iovecs.byteLength));
  linkMessages(ring.iovecs, ring.msgs, memory.addressOf(ring.frames), iovAt, RING_SLOTS);
  const msgBytes = new Uint8Array(ring.msgs.buffer, ring.msgs.byteOffset, ring.msgs.byteLength);
  const errno = () => lastErrno(libc, memory);
  let sent = Atomics.load(ctrl, CTRL.sent);
  Atomics.store(ctrl, CTRL.ready, 1);
  Atomics.notify(ctrl, CTRL.ready);
  for (;;) {
    const written = Atomics.load(ctrl, CTRL.written);
    if (written === sent) {
      if (Atomics.load(ctrl, CTRL.stop) !== 0) return;
      flaggedWait(ctrl, CTRL.written, CTRL.senderWaits, written, 100);
      continue;
    }
    const slot = sent & (RING_SLOTS - 1);
    const count = Math.min((written - sent) | 0, RING_SLOTS - slot, SEND_MAX);
    const n = libc.sendmmsg(fd, msgBytes.subarray(slot * MMSGHDR.size), count, 0);
    if (n > 0) sent = (sent + n) | 0;
    else {
      const e = errno();
      const action = onSendError(e);
      if (action === "retry") continue;
      if (action === "skip") sent = (sent + 1) | 0;
      else {
        Atomics.store(ctrl, CTRL.errno, e || -1);
        Atomics.store(ctrl, CTRL.sent, sent);
        Atomics.notify(ctrl, CTRL.sent);
        return;
      }
    }
    Atomics.store(ctrl, CTRL.sent, sent);
    if (Atomics.load(ctrl, CTRL.scanWaits) !== 0) Atomics.notify(ctrl, CTRL.sent);
  }
}

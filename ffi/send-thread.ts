// Batched sends on a thread of their own (Bun): over veth or a NIC the kernel's
// per-frame work runs inside sendmmsg, so on the scan's thread it took as long
// as all of the scan's own work per probe. Here the scan only frames probes into
// shared memory (send-ring.ts) and the kernel's part runs on another core.
import { workerEntry } from "../src/runtime/worker-entry.ts";
import type { FrameBatch } from "../src/scan/syn/index.ts";
import { PcapError } from "./errors.ts";
import type { NativeMemory } from "./native.ts";
import { CTRL, RING_SLOT_SIZE, RING_SLOTS, ringBuffer, ringLayout, type RingLayout } from "./send-ring.ts";
import type { LibcFunctions } from "./symbols.ts";
import { flaggedWait } from "./flagged-wait.ts";

/** Frames committed between two wake-ups of the thread. */
const PUBLISH_EVERY = 64;
/** A thread that neither starts nor moves on for this long has failed. */
const STALL_MS = 3000;


export interface SendThreadMessage {
  sab: SharedArrayBuffer;
  fd: number;
}

export class ThreadSendBatch implements FrameBatch {
  readonly slotSize = RING_SLOT_SIZE;
  readonly #ring: RingLayout;
  readonly #slots: Uint8Array[] = [];
  /** Started with the first frame: a link the scan never sends on (lo, say) costs no thread. */
  #worker: Worker | null = null;
  readonly #sab: SharedArrayBuffer;
  readonly #fd: number;
  readonly #device: string;
  readonly #libc: LibcFunctions;
  readonly #memory: NativeMemory;
  #written = 0;
  #sentSeen = 0;
  #closed = false;

  private constructor(libc: LibcFunctions, memory: NativeMemory, fd: number, device: string) {
    this.#libc = libc;
    this.#memory = memory;
    this.#device = device;
    this.#fd = fd;
    this.#sab = ringBuffer();
    this.#ring = ringLayout(this.#sab);
    for (let i = 0; i < RING_SLOTS; i++) this.#slots.push(this.#ring.frames.subarray(i * RING_SLOT_SIZE, (i + 1) * RING_SLOT_SIZE));
  }

  #startWorker(): Worker {
    const worker = new Worker(workerEntry("runtime/send-thread.ts"));
    worker.onerror = (e) => {
      // The scan's thread may be waiting on the ring: the errno word wakes it with the failure.
      Atomics.store(this.#ring.ctrl, CTRL.errno, -1);
      Atomics.notify(this.#ring.ctrl, CTRL.sent);
      e.preventDefault();
    };
    const message: SendThreadMessage = { sab: this.#sab, fd: this.#fd };
    worker.postMessage(message);
    return worker;
  }

  /** A sending thread for pcap's socket `fd` (it starts with the first frame), or null where threads with FFI are unavailable. */
  static start(libc: LibcFunctions, memory: NativeMemory, fd: number, device: string): ThreadSendBatch | null {
    if (typeof Worker === "undefined" || typeof (globalThis as { Bun?: unknown }).Bun === "undefined") return null;
    try {
      return new ThreadSendBatch(libc, memory, fd, device);
    } catch {
      return null;
    }
  }

  next(): Uint8Array {
    this.#worker ??= this.#startWorker();
    if (((this.#written - this.#sentSeen) | 0) >= RING_SLOTS) {
      // The count of sent frames seen last may be stale: look again before waiting.
      this.#sentSeen = Atomics.load(this.#ring.ctrl, CTRL.sent);
      if (((this.#written - this.#sentSeen) | 0) >= RING_SLOTS) this.#waitForSpace();
    }
    return this.#slots[this.#written & (RING_SLOTS - 1)]!;
  }

  commit(length: number): void {
    if (length > RING_SLOT_SIZE) throw new RangeError(`frame of ${length} bytes does not fit a ${RING_SLOT_SIZE}-byte slot`);
    this.#ring.lengths[(this.#written & (RING_SLOTS - 1)) * 4 + 2] = length;
    this.#written = (this.#written + 1) | 0;
    if ((this.#written & (PUBLISH_EVERY - 1)) === 0) this.#publish();
  }

  /** Hands what is committed to the thread; reports a send error the thread met. */
  flush(): void {
    this.#publish();
    this.#check();
  }

  /** Frames committed and not yet sent. */
  get pending(): number {
    return (this.#written - Atomics.load(this.#ring.ctrl, CTRL.sent)) | 0;
  }

  /** Sends what is queued (waiting up to STALL_MS), then ends the thread. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#worker === null) return;
    const { ctrl } = this.#ring;
    this.#publish();
    Atomics.store(ctrl, CTRL.stop, 1);
    Atomics.notify(ctrl, CTRL.written);
    const deadline = performance.now() + STALL_MS;
    while (Atomics.load(ctrl, CTRL.errno) === 0 && Atomics.load(ctrl, CTRL.sent) !== this.#written && performance.now() < deadline) {
      this.#sleep(Atomics.load(ctrl, CTRL.sent), 10);
    }
    this.#worker.terminate();
  }

  #publish(): void {
    const { ctrl } = this.#ring;
    Atomics.store(ctrl, CTRL.written, this.#written);
    if (Atomics.load(ctrl, CTRL.senderWaits) !== 0) Atomics.notify(ctrl, CTRL.written);
  }

  /** Sleeps until the sent count moves from `seen` (or `ms` pass), with the flag up that asks the thread to wake us. */
  #sleep(seen: number, ms: number): void {
    flaggedWait(this.#ring.ctrl, CTRL.sent, CTRL.scanWaits, seen, ms);
  }

  #waitForSpace(): void {
    const { ctrl } = this.#ring;
    this.#publish();
    let last = Atomics.load(ctrl, CTRL.sent);
    let since = performance.now();
    for (;;) {
      this.#sentSeen = Atomics.load(ctrl, CTRL.sent);
      this.#check();
      if (((this.#written - this.#sentSeen) | 0) < RING_SLOTS) return;
      if (this.#sentSeen !== last) {
        last = this.#sentSeen;
        since = performance.now();
      } else if (performance.now() - since > STALL_MS) {
        const what = Atomics.load(ctrl, CTRL.ready) === 0 ? "did not start" : "stopped sending";
        throw new PcapError("sendmmsg", `${this.#device}: the sending thread ${what}`, null);
      }
      this.#sleep(this.#sentSeen, 5);
    }
  }

  #check(): void {
    const errno = Atomics.load(this.#ring.ctrl, CTRL.errno);
    if (errno === 0) return;
    if (errno < 0) throw new PcapError("sendmmsg", `${this.#device}: the sending thread failed`, null);
    const p = this.#libc.strerror(errno);
    throw new PcapError("sendmmsg", `${this.#device}: ${p ? this.#memory.cstring(p) : `errno ${errno}`}`, errno);
  }
}

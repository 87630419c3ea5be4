// A FrameBatch whose slots are the TX ring's own frames (tx-ring.ts): the scan
// frames a probe in place and flags it; nothing is copied before the kernel's
// own copy. The kicks, send(fd, NULL, 0), run either on the scan's thread every
// `kickEvery` frames, or on a thread of their own (tx-kick.ts) that kicks
// whenever the scan has published frames since its last kick.
import { workerEntry } from "../src/runtime/worker-entry.ts";
import type { FrameBatch } from "../src/scan/syn/index.ts";
import { PcapError } from "./errors.ts";
import type { Pointer } from "./native.ts";
import { ERRNO } from "./symbols.ts";
import { KICK, kickBuffer } from "./tx-kick.ts";
import { TP_STATUS, TX_FRAMES, type TxRing } from "./tx-ring.ts";

/** A ring that neither frees a frame nor moves on for this long has failed. */
const STALL_MS = 3000;
/** Something to Atomics.wait on for a pause (no runtime's own sleep: this file runs under Deno too). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

export interface TxKickMessage {
  sab: SharedArrayBuffer;
  /** The ring's socket and mapping, which the thread closes when it stops. */
  ring: { fd: number; map: Pointer };
  flags: number;
}

export class TxRingBatch implements FrameBatch {
  readonly slotSize: number;
  #written = 0;
  #unkicked = 0;
  #worker: Worker | null = null;
  /** Set once the kernel refused a frame: the ring stops at it, so nothing after it will leave. */
  #refused = false;
  #closed = false;
  /** The kicking thread did not load: it never touched the socket, so closing it is ours. */
  #workerFailed = false;
  readonly #ctrl: Int32Array | null;
  readonly #sab: SharedArrayBuffer | null;

  /** `thread`: kicks on a thread of their own (Bun), else on this one. `flags` go to send(2): MSG_DONTWAIT or 0. */
  constructor(
    private readonly ring: TxRing,
    private readonly kickEvery: number,
    private readonly flags: number,
    thread: boolean,
  ) {
    this.slotSize = ring.frameRoom;
    this.#sab = thread ? kickBuffer() : null;
    this.#ctrl = this.#sab ? new Int32Array(this.#sab) : null;
  }

  next(): Uint8Array {
    const i = this.#written & (TX_FRAMES - 1);
    if (this.ring.status(i) !== TP_STATUS.available) this.#waitFor(i);
    return this.ring.slot(i);
  }

  commit(length: number): void {
    if (length > this.slotSize) throw new RangeError(`frame of ${length} bytes does not fit a ${this.slotSize}-byte slot`);
    this.ring.request(this.#written & (TX_FRAMES - 1), length);
    this.#written = (this.#written + 1) | 0;
    if (++this.#unkicked >= this.kickEvery) this.#kick();
  }

  flush(): void {
    this.#kick();
  }

  /** Frames flagged and not yet sent (the kernel frees a frame once its packet is gone; a refused one never leaves). */
  get pending(): number {
    this.#check();
    let n = 0;
    for (let i = 0; i < TX_FRAMES; i++) {
      const status = this.ring.status(i);
      if (status === TP_STATUS.sendRequest || status === TP_STATUS.sending) n++;
    }
    return n;
  }

  /** Sends what is flagged (waiting up to STALL_MS), then ends the thread and the ring; an error was reported by flush. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (!this.#refused) this.#kick();
      const deadline = performance.now() + STALL_MS;
      while (!this.#refused && this.pending > 0 && performance.now() < deadline) Atomics.wait(PAUSE, 0, 0, 0.2);
    } catch {
      // Already reported by flush or next, or the scan is ending on another error.
    } finally {
      if (this.#ctrl && this.#worker && !this.#workerFailed) {
        Atomics.store(this.#ctrl, KICK.stop, 1);
        Atomics.notify(this.#ctrl, KICK.written);
        // Once the thread has left its loop it sends no more, and unmaps and closes the ring itself (tx-kick.ts).
        const deadline = performance.now() + STALL_MS;
        while (Atomics.load(this.#ctrl, KICK.done) === 0 && performance.now() < deadline) Atomics.wait(this.#ctrl, KICK.done, 0, 10);
        // Not terminated: the thread ends itself once the ring is closed; unref'd, it does not hold the process.
        if (Atomics.load(this.#ctrl, KICK.done) === 0) this.#worker.terminate();
        else this.#worker.unref();
        this.ring.close(true);
      } else {
        this.#worker?.terminate();
        this.ring.close();
      }
    }
  }

  #kick(): void {
    this.#unkicked = 0;
    if (this.#ctrl) {
      this.#worker ??= this.#startWorker();
      // Nothing new since the last kick (a flush of a batch not written to): no store, and above all no wake-up call.
      if (Atomics.load(this.#ctrl, KICK.written) === this.#written) return this.#check();
      Atomics.store(this.#ctrl, KICK.written, this.#written);
      if (Atomics.load(this.#ctrl, KICK.kickerWaits) !== 0) Atomics.notify(this.#ctrl, KICK.written);
      this.#check();
      return;
    }
    for (;;) {
      const errno = this.ring.kick(this.flags);
      if (errno === 0) return;
      if (errno === ERRNO.EINTR || errno === ERRNO.EAGAIN || errno === ERRNO.ENOBUFS) return; // the frame stays flagged: the next kick sends it
      this.#refused = true;
      throw new PcapError("send", `${this.ring.device}: ${this.ring.errorText(errno)}`, errno);
    }
  }

  #startWorker(): Worker {
    const worker = new Worker(workerEntry("runtime/tx-kick-thread.ts"));
    worker.onerror = (e) => {
      this.#workerFailed = true;
      Atomics.store(this.#ctrl!, KICK.errno, -1);
      e.preventDefault();
    };
    const message: TxKickMessage = { sab: this.#sab!, ring: { fd: this.ring.fd, map: this.ring.map }, flags: this.flags };
    worker.postMessage(message);
    return worker;
  }

  #check(): void {
    const errno = this.#ctrl ? Atomics.load(this.#ctrl, KICK.errno) : 0;
    if (errno === 0) return;
    this.#refused = true;
    throw new PcapError("send", `${this.ring.device}: ${errno < 0 ? "the kicking thread failed" : this.ring.errorText(errno)}`, errno);
  }

  /** Waits until frame i is free again, kicking so the kernel gets to it. */
  #waitFor(i: number): void {
    const started = performance.now();
    for (;;) {
      const status = this.ring.status(i);
      if (status === TP_STATUS.available) return;
      if (status === TP_STATUS.wrongFormat) {
        this.#refused = true;
        throw new PcapError("send", `${this.ring.device}: the kernel refused frame ${i} of the TX ring (TP_STATUS_WRONG_FORMAT)`, null);
      }
      if (performance.now() - started > STALL_MS) throw new PcapError("send", `${this.ring.device}: the TX ring stopped sending`, null);
      this.#kick();
      if (this.#ctrl) {
        Atomics.store(this.#ctrl, KICK.scanWaits, 1);
        const kicked = Atomics.load(this.#ctrl, KICK.kicked);
        if (this.ring.status(i) !== TP_STATUS.available) Atomics.wait(this.#ctrl, KICK.kicked, kicked, 1);
        Atomics.store(this.#ctrl, KICK.scanWaits, 0);
      }
    }
  }
}

// Batched sends: frames written into slots of one arena and handed to the
// kernel with one sendmmsg(2) on pcap's own socket, instead of one
// pcap_inject (one system call) each. The arena, iovecs and mmsghdrs are our
// own buffers, held by this object for its whole life; C reads them only
// during sendmmsg.
import type { FrameBatch } from "../src/scan/syn/index.ts";
import { PcapError } from "./errors.ts";
import type { NativeMemory } from "./native.ts";
import { ERRNO, IOVEC, MMSGHDR, type LibcFunctions } from "./symbols.ts";
import { lastErrno } from "./errno.ts";

/** Bytes per frame: the largest SYN (IPv6 with every -O option) is 94. */
export const SLOT_SIZE = 128;

/**
 * Points mmsghdr i at iovec i and iovec i at frame slot i (`count` of each), for
 * sendmmsg over frames laid out SLOT_SIZE apart from `framesAt`. Lengths are
 * filled in per frame.
 */
export function linkMessages(iov: BigUint64Array, msgs: BigUint64Array, framesAt: bigint, iovAt: bigint, count: number): void {
  for (let i = 0; i < count; i++) {
    iov[i * 2] = framesAt + BigInt(i * SLOT_SIZE);
    msgs[(i * MMSGHDR.size + MMSGHDR.iov) / 8] = iovAt + BigInt(i * IOVEC.size);
    msgs[(i * MMSGHDR.size + MMSGHDR.iovlen) / 8] = 1n;
  }
}

/**
 * What a failed sendmmsg means for the frames: try again (interrupted, or the
 * socket would block), skip one (ENOBUFS: the device queue dropped it, as lost
 * on the wire; the retries cover it), or stop with the error.
 */
export function onSendError(errno: number): "retry" | "skip" | "fail" {
  if (errno === ERRNO.EINTR || errno === ERRNO.EAGAIN) return "retry";
  return errno === ERRNO.ENOBUFS ? "skip" : "fail";
}

export class SendBatch implements FrameBatch {
  readonly slotSize = SLOT_SIZE;
  readonly #libc: LibcFunctions;
  readonly #memory: NativeMemory;
  readonly #fd: number;
  readonly #device: string;
  readonly #arena: Uint8Array;
  readonly #slots: Uint8Array[] = [];
  readonly #iov: BigUint64Array;
  /** The iovec lengths seen as 32-bit words: frame i's length is word 4i + 2 (little-endian low half). */
  readonly #lengths: Uint32Array;
  readonly #msgs: Uint8Array;
  readonly #capacity: number;
  #count = 0;

  constructor(libc: LibcFunctions, memory: NativeMemory, fd: number, device: string, capacity = 64) {
    this.#libc = libc;
    this.#memory = memory;
    this.#fd = fd;
    this.#device = device;
    this.#capacity = capacity;
    this.#arena = new Uint8Array(capacity * SLOT_SIZE);
    this.#iov = new BigUint64Array(capacity * 2);
    this.#lengths = new Uint32Array(this.#iov.buffer);
    const msgs = new BigUint64Array((capacity * MMSGHDR.size) / 8);
    this.#msgs = new Uint8Array(msgs.buffer);
    linkMessages(this.#iov, msgs, memory.addressOf(this.#arena), memory.addressOf(this.#iov), capacity);
    for (let i = 0; i < capacity; i++) this.#slots.push(this.#arena.subarray(i * SLOT_SIZE, (i + 1) * SLOT_SIZE));
  }

  next(): Uint8Array {
    return this.#slots[this.#count]!;
  }

  commit(length: number): void {
    if (length > SLOT_SIZE) throw new RangeError(`frame of ${length} bytes does not fit a ${SLOT_SIZE}-byte slot`);
    this.#lengths[this.#count * 4 + 2] = length;
    if (++this.#count === this.#capacity) this.flush();
  }

  flush(): void {
    const count = this.#count;
    this.#count = 0;
    let sent = 0;
    while (sent < count) {
      const msgs = sent === 0 ? this.#msgs : this.#msgs.subarray(sent * MMSGHDR.size);
      const n = this.#libc.sendmmsg(this.#fd, msgs, count - sent, 0);
      if (n > 0) {
        sent += n;
        continue;
      }
      const errno = this.#errno();
      const action = onSendError(errno);
      if (action === "retry") continue;
      if (action === "skip") {
        sent++;
        continue;
      }
      throw new PcapError("sendmmsg", `${this.#device}: ${this.#strerror(errno)}`, errno);
    }
  }

  #errno(): number {
    return lastErrno(this.#libc, this.#memory);
  }

  #strerror(errno: number): string {
    const p = this.#libc.strerror(errno);
    return p ? this.#memory.cstring(p) : `errno ${errno}`;
  }
}

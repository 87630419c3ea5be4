// PACKET_TX_RING (Linux): a send-only AF_PACKET socket whose frames live in a
// ring mapped into our memory. A frame is written in place and flagged; one
// send(2) without data hands the kernel every flagged frame, so no msghdr or
// iovec per frame is copied in (a fifth of sendmmsg's per-frame kernel time).
import { PcapError } from "./errors.ts";
import type { NativeMemory, Pointer } from "./native.ts";
import type { LibcFunctions } from "./symbols.ts";
import { lastErrno } from "./errno.ts";

const AF_PACKET = 17;
const SOCK_RAW = 3;
const SOL_PACKET = 263;
const PACKET_VERSION = 10;
const PACKET_TX_RING = 13;
const PACKET_VNET_HDR = 15;
const TPACKET_V2 = 1;
/** sizeof(struct virtio_net_hdr): flags, gso_type, hdr_len, gso_size, csum_start, csum_offset. */
const VNET_HDR_SIZE = 10;
const PROT_READ_WRITE = 3;
const MAP_SHARED = 1;
/** sizeof(struct sockaddr_ll): family, protocol, ifindex, hatype, pkttype, halen, addr[8]. */
const SOCKADDR_LL_SIZE = 20;

/** Bytes per ring frame: the 32-byte tpacket2_hdr and a frame of up to 224 bytes. */
export const TX_FRAME_SIZE = 256;
/** 64 KiB blocks of 256 frames; 64 of them make the ring (4 MiB). A power of two. */
const BLOCK_SIZE = 4096 * 16;
/**
 * 16 ms of frames at 1 M/s: while the scan's thread stops (a GC pause takes up
 * to 7 ms), the kicking thread still has frames to send. 4,096 frames ran dry:
 * bench-scan (e)'s send rate was 0.95-1.08 M/s against 0.99-1.11 with 16,384
 * (ten paired runs, the larger ring ahead in all ten).
 */
export const TX_FRAMES = 16384;
/** Bytes of the mapping. */
export const TX_RING_BYTES = TX_FRAMES * TX_FRAME_SIZE;
/**
 * Where a frame's bytes start: TPACKET2_HDRLEN − sizeof(struct sockaddr_ll), i.e.
 * TPACKET_ALIGN(sizeof(struct tpacket2_hdr) = 32), the offset the kernel reads
 * a SOCK_RAW frame from when PACKET_TX_HAS_OFF is off (linux/if_packet.h).
 */
export const TX_DATA_OFFSET = 32;
/** tpacket2_hdr.tp_status values a sender sees. */
export const TP_STATUS = { available: 0, sendRequest: 1, sending: 2, wrongFormat: 4 } as const;
/** The kernel's MSG_DONTWAIT: send returns without waiting for the frames to leave. */
export const MSG_DONTWAIT = 0x40;

type RingLibc = Pick<LibcFunctions, "socket" | "bind" | "if_nametoindex" | "setsockopt" | "mmap" | "munmap" | "send" | "close" | "__errno_location" | "strerror">;

export class TxRing {
  /** tp_status and tp_len of frame i are words 64·i and 64·i + 1. */
  readonly #words: Int32Array;
  /** The same memory as 16-bit words, for the virtio_net_hdr's hdr_len in front of each frame. */
  readonly #halves: Uint16Array;
  readonly #slots: Uint8Array[] = [];
  #open = true;

  private constructor(
    private readonly libc: RingLibc,
    private readonly memory: NativeMemory,
    readonly fd: number,
    readonly map: Pointer,
    readonly device: string,
    private readonly linear: boolean,
  ) {
    const bytes = memory.view(map, TX_RING_BYTES);
    this.#words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    this.#halves = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    for (let i = 0; i < TX_FRAMES; i++) {
      const at = i * TX_FRAME_SIZE + TX_DATA_OFFSET + (linear ? VNET_HDR_SIZE : 0);
      this.#slots.push(bytes.subarray(at, at + TX_FRAME_SIZE - TX_DATA_OFFSET));
    }
  }

  /**
   * A ring on `device`; throws a PcapError naming the step the kernel refused.
   * `linear`: a virtio_net_hdr in front of each frame whose hdr_len is the whole
   * frame, so the kernel copies it into the skb instead of attaching the ring's
   * page as a zero-copy fragment. Over veth (and to any local receiver) such a
   * fragment is copied again into a fresh page (skb_copy_ubufs), which costs
   * more than the copy it saved.
   */
  static open(libc: RingLibc, memory: NativeMemory, device: string, linear = true): TxRing {
    const fail = (step: string): never => {
      const errno = lastErrno(libc, memory);
      const reason = libc.strerror(errno);
      throw new PcapError("PACKET_TX_RING", `${device}: ${step}: ${reason ? memory.cstring(reason) : `errno ${errno}`}`, errno);
    };
    const index = libc.if_nametoindex(new TextEncoder().encode(`${device}\0`));
    if (index === 0) fail("if_nametoindex");
    // Protocol 0: the socket receives nothing, so no frame of the link is copied to it.
    const fd = libc.socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0) fail("socket");
    try {
      const addr = new Uint8Array(SOCKADDR_LL_SIZE);
      const view = new DataView(addr.buffer);
      view.setUint16(0, AF_PACKET, true);
      view.setInt32(4, index, true);
      if (libc.bind(fd, addr, SOCKADDR_LL_SIZE) !== 0) fail("bind");
      if (libc.setsockopt(fd, SOL_PACKET, PACKET_VERSION, new Uint8Array(new Uint32Array([TPACKET_V2]).buffer), 4) !== 0) fail("PACKET_VERSION");
      if (linear && libc.setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, new Uint8Array(new Uint32Array([1]).buffer), 4) !== 0) fail("PACKET_VNET_HDR");
      const req = new Uint8Array(new Uint32Array([BLOCK_SIZE, (TX_RING_BYTES) / BLOCK_SIZE, TX_FRAME_SIZE, TX_FRAMES]).buffer);
      if (libc.setsockopt(fd, SOL_PACKET, PACKET_TX_RING, req, req.byteLength) !== 0) fail("setsockopt");
      const map = libc.mmap(null, TX_RING_BYTES, PROT_READ_WRITE, MAP_SHARED, fd, 0);
      // MAP_FAILED is (void *)-1: far above any address user space gets.
      if (memory.isNull(map) || Number(map) < 0 || Number(map) >= 2 ** 48) fail("mmap");
      return new TxRing(libc, memory, fd, map!, device, linear);
    } catch (e) {
      libc.close(fd);
      throw e;
    }
  }

  /** Bytes a frame may have. */
  get frameRoom(): number {
    return TX_FRAME_SIZE - TX_DATA_OFFSET - (this.linear ? VNET_HDR_SIZE : 0);
  }

  /** Frame i's bytes (frameRoom of them). */
  slot(i: number): Uint8Array {
    return this.#slots[i]!;
  }

  status(i: number): number {
    if (!this.#open) this.#closedError();
    return Atomics.load(this.#words, i * (TX_FRAME_SIZE / 4));
  }

  /** Flags frame i, `length` bytes, for the next kick. The status goes last: the kernel reads it first. */
  request(i: number, length: number): void {
    // The views would point at unmapped memory: a crash, not an error, without this check.
    if (!this.#open) this.#closedError();
    const at = i * (TX_FRAME_SIZE / 4);
    if (this.linear) {
      this.#halves[(i * TX_FRAME_SIZE + TX_DATA_OFFSET + 2) / 2] = length; // hdr_len (little-endian virtio)
      this.#words[at + 1] = length + VNET_HDR_SIZE;
    } else this.#words[at + 1] = length;
    Atomics.store(this.#words, at, TP_STATUS.sendRequest);
  }

  /** send(fd, NULL, 0, flags): the kernel sends every flagged frame from its position on. 0, or the errno. */
  kick(flags: number): number {
    if (this.libc.send(this.fd, null, 0, flags) >= 0) return 0;
    return lastErrno(this.libc, this.memory) || -1;
  }

  errorText(errno: number): string {
    const p = errno > 0 ? this.libc.strerror(errno) : null;
    return p ? this.memory.cstring(p) : `errno ${errno}`;
  }

  #closedError(): never {
    throw new PcapError("use", `${this.device}: TX ring is closed`);
  }

  /**
   * Unmaps the ring and closes the socket; with `handOver`, only stops using
   * them: the kicking thread unmaps and closes (tx-kick.ts), beside the scan's
   * own teardown, as each takes the kernel ~20 ms (RCU grace periods) here.
   */
  close(handOver = false): void {
    if (!this.#open) return;
    this.#open = false;
    if (handOver) return;
    this.libc.munmap(this.map, TX_RING_BYTES);
    this.libc.close(this.fd);
  }
}

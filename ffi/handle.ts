// One capture handle: open, filter, read batches, inject, stats, close.
// The pcap_t pointer leaves this file only for the FrameReader the handle owns.
import { PcapError } from "./errors.ts";
import { FrameReader, type FrameSink } from "./frame-reader.ts";
import type { Libpcap } from "./library.ts";
import type { Pointer } from "./native.ts";
import { BPF_PROGRAM_SIZE, ERRBUF_SIZE, PCAP_D, PKTHDR, STAT_SIZE, PACKET_SOCKOPT } from "./symbols.ts";

export interface PcapOpenOptions {
  device: string;
  snaplen?: number;
  /** Deliver each packet at once instead of filling the kernel buffer first. */
  immediate?: boolean;
  bufferSize?: number;
  timeoutMs?: number;
  nonblocking?: boolean;
  direction?: keyof typeof PCAP_D;
}

export interface PcapStats {
  received: number;
  dropped: number;
  ifDropped: number;
}

/**
 * Called per packet; `frame` is only valid during the call (it views pcap's
 * buffer). `header` is pcap's struct pcap_pkthdr, for `timestampUs` when wanted.
 */
export type PacketSink = (frame: Uint8Array, wireLength: number, header: Pointer) => void;

const cstr = (s: string): Uint8Array => new TextEncoder().encode(s + "\0");

// Safety net for handles dropped without close(): pcap_close them on collection.
const finalizer = new FinalizationRegistry<{ lib: Libpcap; handle: Pointer }>(({ lib, handle }) =>
  lib.fns.pcap_close(handle),
);

export class PcapHandle implements Disposable {
  #lib: Libpcap;
  #handle: Pointer | null;
  // Out-parameters for pcap_next_ex, reused: C writes two pointers into them.
  #hdrSlot = new BigUint64Array(1);
  #dataSlot = new BigUint64Array(1);
  /** Batched reads through pcap_dump, made on first use; null where they cannot be had. */
  #reader: FrameReader | null | undefined;
  readonly #snaplen: number;
  readonly device: string;
  readonly linkType: number;

  private constructor(lib: Libpcap, handle: Pointer, device: string, snaplen: number) {
    this.#snaplen = snaplen;
    this.#lib = lib;
    this.#handle = handle;
    this.device = device;
    finalizer.register(this, { lib, handle }, this);
    this.linkType = lib.fns.pcap_datalink(handle);
  }

  static open(lib: Libpcap, opts: PcapOpenOptions): PcapHandle {
    const { fns, memory } = lib;
    const errbuf = new Uint8Array(ERRBUF_SIZE);
    const device = cstr(opts.device);
    const handle = fns.pcap_create(device, errbuf);
    if (memory.isNull(handle)) throw new PcapError("pcap_create", errbufText(errbuf) || opts.device);
    const check = (op: string, rc: number): void => {
      if (rc < 0) {
        const text = fns.pcap_geterr(handle);
        const message = text ? memory.cstring(text) : `error ${rc}`;
        fns.pcap_close(handle);
        throw new PcapError(op, `${opts.device}: ${message}`, rc);
      }
    };
    check("pcap_set_snaplen", fns.pcap_set_snaplen(handle, opts.snaplen ?? 256));
    check("pcap_set_immediate_mode", fns.pcap_set_immediate_mode(handle, opts.immediate === false ? 0 : 1));
    check("pcap_set_buffer_size", fns.pcap_set_buffer_size(handle, opts.bufferSize ?? 16 << 20));
    check("pcap_set_timeout", fns.pcap_set_timeout(handle, opts.timeoutMs ?? 10));
    check("pcap_activate", fns.pcap_activate(handle));
    const pcap = new PcapHandle(lib, handle, opts.device, opts.snaplen ?? 256);
    if (opts.direction) pcap.#check("pcap_setdirection", fns.pcap_setdirection(handle, PCAP_D[opts.direction]));
    if (opts.direction === "in") pcap.#ignoreOutgoing();
    if (opts.nonblocking !== false) pcap.setNonblocking(true);
    return pcap;
  }

  /**
   * libpcap 1.10 drops our own outgoing frames only after the kernel has cloned
   * each one to this socket and run the filter on it: at a million frames a
   * second that is kernel work per sent probe. PACKET_IGNORE_OUTGOING stops
   * the kernel handing them over at all. Kernels before 4.20 refuse it; libpcap's
   * own check still drops the frames there.
   */
  #ignoreOutgoing(): void {
    const libc = this.#lib.libc;
    if (libc === null) return;
    libc.setsockopt(this.fd, PACKET_SOCKOPT.level, PACKET_SOCKOPT.ignoreOutgoing, new Uint8Array(new Int32Array([1]).buffer), 4);
  }

  #live(): Pointer {
    if (!this.#handle) throw new PcapError("use", `${this.device}: handle is closed`);
    return this.#handle;
  }

  /** The one return-code checker: negative means failure, pcap_geterr says why. */
  #check(op: string, rc: number): number {
    if (rc >= 0) return rc;
    const { fns, memory } = this.#lib;
    const p = this.#handle ? fns.pcap_geterr(this.#handle) : null;
    const message = p && !memory.isNull(p) ? memory.cstring(p) : `error ${rc}`;
    throw new PcapError(op, `${this.device}: ${message}`, rc);
  }

  setNonblocking(on: boolean): void {
    const errbuf = new Uint8Array(ERRBUF_SIZE);
    const rc = this.#lib.fns.pcap_setnonblock(this.#live(), on ? 1 : 0, errbuf);
    if (rc < 0) throw new PcapError("pcap_setnonblock", `${this.device}: ${errbufText(errbuf)}`, rc);
  }

  /** Compiles and installs a BPF filter; the compiled program is freed either way. */
  setFilter(expression: string): void {
    const h = this.#live();
    const { fns } = this.#lib;
    const program = new Uint8Array(BPF_PROGRAM_SIZE);
    const text = cstr(expression);
    // 0xffffffff = PCAP_NETMASK_UNKNOWN: we never filter on broadcast.
    this.#check(`pcap_compile "${expression}"`, fns.pcap_compile(h, program, text, 1, 0xffffffff));
    try {
      this.#check("pcap_setfilter", fns.pcap_setfilter(h, program));
    } finally {
      fns.pcap_freecode(program);
    }
  }

  /** Reads up to `max` packets already waiting (non-blocking) and returns how many it read. */
  readBatch(max: number, sink: PacketSink): number {
    const h = this.#live();
    const { fns, memory } = this.#lib;
    const hdrSlot = this.#hdrSlot;
    const dataSlot = this.#dataSlot;
    let n = 0;
    while (n < max) {
      const rc = fns.pcap_next_ex(h, hdrSlot, dataSlot);
      if (rc === 0) break;
      if (rc === -2) break; // PCAP_ERROR_BREAK: pcap_breakloop or end of a savefile
      this.#check("pcap_next_ex", rc);
      const hdr = memory.pointerIn(hdrSlot);
      const data = memory.pointerIn(dataSlot);
      if (!hdr || !data) break;
      const caplen = memory.readU32(hdr, PKTHDR.caplen);
      const wireLength = memory.readU32(hdr, PKTHDR.len);
      n++;
      if (caplen > 0) sink(memory.view(data, caplen), wireLength, hdr);
    }
    return n;
  }

  /**
   * Reads up to `max` waiting frames (non-blocking) into `sink` as offsets in
   * one shared buffer, many per library call where libc allows (FrameReader),
   * else one by one; returns how many were read.
   */
  readFrames(max: number, sink: FrameSink): number {
    if (this.#reader === undefined) this.#reader = FrameReader.open(this.#lib, this.#live(), this.device, this.#snaplen);
    if (this.#reader) {
      this.#live();
      return this.#reader.read(max, sink);
    }
    return this.readBatch(max, (frame) => sink(frame, 0, frame.length));
  }

  /** Sends one complete link-layer frame; `frame` stays referenced by the caller through the call. */
  inject(frame: Uint8Array): void {
    const sent = this.#check("pcap_inject", this.#lib.fns.pcap_inject(this.#live(), frame, frame.byteLength));
    if (sent !== frame.byteLength) {
      throw new PcapError("pcap_inject", `${this.device}: sent ${sent} of ${frame.byteLength} bytes`);
    }
  }

  /** The handle's socket: batched sends go straight to it (sendmmsg). */
  get fd(): number {
    return this.#check("pcap_get_selectable_fd", this.#lib.fns.pcap_get_selectable_fd(this.#live()));
  }

  /** Capture time of a packet from the header handed to a PacketSink. */
  timestampUs(header: Pointer): number {
    const { memory } = this.#lib;
    return memory.readI64(header, PKTHDR.tvSec) * 1e6 + memory.readI64(header, PKTHDR.tvUsec);
  }

  stats(): PcapStats {
    const buf = new Uint8Array(STAT_SIZE);
    this.#check("pcap_stats", this.#lib.fns.pcap_stats(this.#live(), buf));
    const v = new DataView(buf.buffer);
    return { received: v.getUint32(0, true), dropped: v.getUint32(4, true), ifDropped: v.getUint32(8, true) };
  }

  get closed(): boolean {
    return this.#handle === null;
  }

  close(): void {
    if (!this.#handle) return;
    this.#reader?.close();
    this.#reader = null;
    finalizer.unregister(this);
    this.#lib.fns.pcap_close(this.#handle);
    this.#handle = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function errbufText(errbuf: Uint8Array): string {
  const end = errbuf.indexOf(0);
  return new TextDecoder().decode(errbuf.subarray(0, end < 0 ? errbuf.length : end));
}

// Many captured frames per FFI call: pcap_dispatch hands each frame to
// libpcap's own pcap_dump, which writes it (a 16-byte record header, then the
// bytes) into a memory stream (fmemopen) over a buffer we allocated and view
// once. One dispatch, one flush, one rewind per batch, instead of a
// pcap_next_ex, two pointer reads and a fresh ArrayBuffer for every frame.
import { PcapError } from "./errors.ts";
import type { Libpcap } from "./library.ts";
import type { Pointer } from "./native.ts";
import { RTLD, SF_PKTHDR } from "./symbols.ts";

const cstr = (s: string): Uint8Array => new TextEncoder().encode(s + "\0");

/** Called per frame: `buf[offset, offset + length)` is the captured frame, valid during the call only. */
export type FrameSink = (buf: Uint8Array, offset: number, length: number) => void;

export class FrameReader {
  readonly #lib: Libpcap;
  readonly #handle: Pointer;
  readonly #device: string;
  readonly #maxFrames: number;
  readonly #memory: Pointer;
  readonly #view: Uint8Array;
  readonly #dumper: Pointer;
  readonly #file: Pointer;
  readonly #dump: Pointer;
  #closed = false;

  private constructor(lib: Libpcap, handle: Pointer, device: string, maxFrames: number, memory: Pointer, size: number, file: Pointer, dumper: Pointer, dump: Pointer) {
    this.#lib = lib;
    this.#handle = handle;
    this.#device = device;
    this.#maxFrames = maxFrames;
    this.#memory = memory;
    this.#view = lib.memory.view(memory, size);
    this.#file = file;
    this.#dumper = dumper;
    this.#dump = dump;
  }

  /** A reader for a live handle, or null where libc or pcap_dump cannot be had (reads then go one by one). */
  static open(lib: Libpcap, handle: Pointer, device: string, snaplen: number, maxFrames = 256): FrameReader | null {
    const { libc, fns, memory } = lib;
    if (!libc) return null;
    const self = libc.dlopen(cstr(lib.path), RTLD.NOW | RTLD.NOLOAD);
    const dump = self ? libc.dlsym(self, cstr("pcap_dump")) : null;
    if (!dump) return null;
    // Room for a full batch of the largest records, so a write never falls off the end.
    const size = maxFrames * (SF_PKTHDR.size + snaplen) + 4096;
    const buffer = libc.malloc(size);
    if (!buffer) return null;
    const file = libc.fmemopen(buffer, size, cstr("w"));
    const dumper = file ? fns.pcap_dump_fopen(handle, file) : null;
    if (!file || !dumper) {
      libc.free(buffer);
      return null;
    }
    const reader = new FrameReader(lib, handle, device, maxFrames, buffer, size, file, dumper, dump);
    reader.#rewind(); // past the savefile header pcap_dump_fopen wrote
    return reader;
  }

  #rewind(): void {
    this.#lib.fns.pcap_dump_flush(this.#dumper);
    this.#lib.libc!.rewind(this.#file);
  }

  /** Reads up to `max` waiting frames (non-blocking) into `sink` and returns how many. */
  read(max: number, sink: FrameSink): number {
    const { fns } = this.#lib;
    const n = fns.pcap_dispatch(this.#handle, Math.min(max, this.#maxFrames), this.#dump, this.#dumper);
    if (n < 0) {
      if (n === -2) return 0; // PCAP_ERROR_BREAK
      const p = fns.pcap_geterr(this.#handle);
      throw new PcapError("pcap_dispatch", `${this.#device}: ${p ? this.#lib.memory.cstring(p) : `error ${n}`}`, n);
    }
    if (n === 0) return 0;
    fns.pcap_dump_flush(this.#dumper);
    const end = fns.pcap_dump_ftell(this.#dumper);
    const b = this.#view;
    let at = 0;
    let frames = 0;
    while (at + SF_PKTHDR.size <= end) {
      const c = at + SF_PKTHDR.caplen;
      const caplen = (b[c]! | (b[c + 1]! << 8) | (b[c + 2]! << 16) | (b[c + 3]! << 24)) >>> 0;
      const start = at + SF_PKTHDR.size;
      if (start + caplen > end) break;
      frames++;
      if (caplen > 0) sink(b, start, caplen);
      at = start + caplen;
    }
    this.#lib.libc!.rewind(this.#file);
    return frames;
  }

  /** Closes the stream; the pcap handle is the caller's to close (after this). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#lib.fns.pcap_dump_close(this.#dumper);
    this.#lib.libc!.free(this.#memory);
  }
}

// A PcapHandle seen as the PacketLink capability the SYN technique takes.
import type { FrameBatch, LinkOpener, PacketLink } from "../src/scan/syn/index.ts";
import { SendBatch } from "./batch.ts";
import type { NativeMemory } from "./native.ts";
import { ThreadSendBatch } from "./send-thread.ts";
import { SplitBatch } from "./split-batch.ts";
import type { LibcFunctions } from "./symbols.ts";
import { TxRing } from "./tx-ring.ts";
import { TxRingBatch } from "./tx-ring-batch.ts";

/** Frames the scan flags before the kicking thread is woken (tx-ring-batch.ts). */
const KICK_EVERY = 64;

/**
 * One sending thread: a PACKET_TX_RING of its own where the kernel grants one
 * (send-ceiling.ts: a fifth more frames/s than sendmmsg over veth), else
 * sendmmsg on pcap's socket. Opened now, while the scan may still be root.
 */
function sendingThread(libc: LibcFunctions, memory: NativeMemory, fd: number, device: string, txRing: boolean): TxRingBatch | ThreadSendBatch | null {
  if (typeof Worker === "undefined" || typeof (globalThis as { Bun?: unknown }).Bun === "undefined") return null;
  if (txRing) {
    try {
      return new TxRingBatch(TxRing.open(libc, memory, device), KICK_EVERY, 0, true);
    } catch {
      // Refused (an old kernel, no CAP_NET_RAW for a second socket, a device without Ethernet framing): sendmmsg still works.
    }
  }
  return ThreadSendBatch.start(libc, memory, fd, device);
}

/** `count` sending threads as one batch; null when there are none (count 0, or no threads here). */
function sendingThreads(libc: LibcFunctions, memory: NativeMemory, fd: number, device: string, count: number, txRing: boolean): FrameBatch & { close(): void } | null {
  const parts: (TxRingBatch | ThreadSendBatch)[] = [];
  for (let i = 0; i < count; i++) {
    const part = sendingThread(libc, memory, fd, device, txRing);
    if (part === null) break;
    parts.push(part);
  }
  return parts.length > 1 ? new SplitBatch(parts) : (parts[0] ?? null);
}
import { PcapHandle } from "./handle.ts";
import type { Libpcap } from "./library.ts";

export interface LinkOptions {
  snaplen?: number;
  bufferSize?: number;
  /** sendmmsg batches where libc has them (default); false sends each frame with pcap_inject. */
  batch?: boolean;
  /** Threads sending the batches where the runtime allows (default 1); 0 sends them on the caller's thread. */
  threads?: number;
  /** Sending threads use a PACKET_TX_RING where the kernel grants one (default); false keeps them on sendmmsg. */
  txRing?: boolean;
}

export function pcapLinkOpener(lib: Libpcap, options: LinkOptions = {}): LinkOpener {
  return (device) => openPcapLink(lib, device, options);
}

export function openPcapLink(lib: Libpcap, device: string, options: LinkOptions = {}): PacketLink {
  // On loopback every frame is both sent and received, so the direction filter would hide replies.
  // 8 MiB of ring holds ~25,000 replies: 80 ms of a 300,000/s reply flood that
  // nobody reads, where the scan reads after every batch of probes. The kernel
  // allocates (and clears) the ring when the handle opens, ~1 ms per MiB here.
  const handle = PcapHandle.open(lib, {
    device,
    snaplen: options.snaplen ?? 256,
    bufferSize: options.bufferSize ?? 8 << 20,
    nonblocking: true,
    immediate: true,
    direction: device === "lo" ? undefined : "in",
  });
  const { libc, memory } = lib;
  const batched = libc !== null && options.batch !== false;
  const threaded = batched ? sendingThreads(libc, memory, handle.fd, device, options.threads ?? 1, options.txRing !== false) : null;
  return {
    linkType: handle.linkType,
    batch: threaded ?? (batched ? new SendBatch(libc, memory, handle.fd, device) : undefined),
    send: (frame) => handle.inject(frame),
    receiveAt: (max, sink) => handle.readFrames(max, sink),
    receive: (max, sink) => handle.readBatch(max, (frame, wireLength) => sink(frame, Math.min(frame.length, wireLength))),
    setFilter: (expression) => handle.setFilter(expression),
    stats: () => handle.stats(),
    close: () => {
      threaded?.close();
      handle.close();
    },
  };
}

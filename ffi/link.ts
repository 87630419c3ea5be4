// A PcapHandle seen as the PacketLink capability the SYN technique takes.
import type { LinkOpener, PacketLink } from "../src/scan/syn/index.ts";
import { SendBatch } from "./batch.ts";
import { ThreadSendBatch } from "./send-thread.ts";
import { PcapHandle } from "./handle.ts";
import type { Libpcap } from "./library.ts";

export interface LinkOptions {
  snaplen?: number;
  bufferSize?: number;
  /** sendmmsg batches where libc has them (default); false sends each frame with pcap_inject. */
  batch?: boolean;
  /** Batches sent from a thread of their own where the runtime allows (default); false sends them on the caller's. */
  thread?: boolean;
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
  const threaded = batched && options.thread !== false ? ThreadSendBatch.start(libc, memory, handle.fd, device) : null;
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

// The send path alone, without a scan around it: SYNs from SynFramer templates
// out through sendmmsg from a sending thread (thread; two of them: thread2), on
// the loop's own thread (batch, 64 per call), or pcap_inject one by one, as
// fast as they go. bench-scan.sh runs it inside the lab's scanner
// namespace next to the scans of (d), so the table shows what the kernel and
// the FFI allow on this machine, apart from the scan's own per-probe work.
// txring: frames written in place into a PACKET_TX_RING, a thread kicking the
// kernel with send(fd, NULL, 0); txring2: two rings, two sockets, two threads.
// TXRING_KICK=N publishes/kicks every N frames (64), TXRING_KICKER=inline kicks
// on the loop's thread instead, TXRING_DONTWAIT=1 kicks with MSG_DONTWAIT,
// TXRING_LINEAR=0 lets the kernel attach ring pages as zero-copy fragments.
//   bun scripts/send-ceiling.ts DEVICE TARGET_MAC FIRST_IP LAST_IP COUNT thread|thread2|batch|inject|txring|txring2
// Prints one JSON line: {"frames": n, "ms": t, "sendPps": r, "wire": w}, w the
// growth of the device's tx_packets counter over the run.
import { loadLibpcap, openPcapLink, PcapHandle } from "../ffi/index.ts";
import { interfaceMac, LINUX_NET_PATHS, osAddresses, parseIp, parseMac, routeTo } from "../src/net/index.ts";
import { SynFramer } from "../src/scan/syn/framer.ts";
import { ThreadSendBatch } from "../ffi/send-thread.ts";
import { SplitBatch } from "../ffi/split-batch.ts";
import { MSG_DONTWAIT, TxRing } from "../ffi/tx-ring.ts";
import { TxRingBatch } from "../ffi/tx-ring-batch.ts";
import { readFileSync } from "node:fs";

const [device, targetMac, firstIp, lastIp, countText, mode] = process.argv.slice(2);
const dstMac = parseMac(targetMac ?? "");
const first = parseIp(firstIp ?? "");
const last = parseIp(lastIp ?? "");
if (!device || !dstMac || first?.length !== 4 || last?.length !== 4 || !countText || !["batch", "inject", "thread", "thread2", "txring", "txring2"].includes(mode ?? "")) {
  process.stderr.write("usage: send-ceiling.ts DEVICE TARGET_MAC FIRST_IP LAST_IP COUNT thread|thread2|batch|inject|txring|txring2\n");
  process.exit(2);
}
const net = { paths: LINUX_NET_PATHS, addresses: osAddresses };
const source = parseIp(routeTo(firstIp!, net)!.source)!;
const srcMac = interfaceMac(device, net);
const framers: SynFramer[] = [];
for (let d = first[3]!; d <= last[3]!; d++) {
  framers.push(new SynFramer({ linkType: 1, srcMac, dstMac, src: source, dst: Uint8Array.from([first[0]!, first[1]!, first[2]!, d]) }));
}
const lib = await loadLibpcap(process.env.PRTIP_LIBPCAP);
const link = openPcapLink(lib, device, { batch: mode !== "inject", threads: mode === "thread" ? 1 : 0, txRing: false });
let second: PcapHandle | null = null;
let batch = link.batch;
if (mode === "thread2") {
  // Two sending threads, taking runs of frames in turn (the link's own batch stays unused).
  second = PcapHandle.open(lib, { device, nonblocking: true, immediate: true, direction: "in" });
  const start = () => ThreadSendBatch.start(lib.libc!, lib.memory, second!.fd, device)!;
  batch = new SplitBatch([start(), start()]);
}
if (mode === "txring" || mode === "txring2") {
  const kickEvery = Number(process.env.TXRING_KICK ?? 64);
  const flags = process.env.TXRING_DONTWAIT === "1" ? MSG_DONTWAIT : 0;
  const ring = () => new TxRingBatch(TxRing.open(lib.libc!, lib.memory, device, process.env.TXRING_LINEAR !== "0"), kickEvery, flags, process.env.TXRING_KICKER !== "inline");
  batch = mode === "txring" ? ring() : new SplitBatch([ring(), ring()]);
}
const txPackets = () => Number(readFileSync(`/sys/class/net/${device}/statistics/tx_packets`, "utf8"));
const wireBefore = txPackets();
const count = Number(countText);
const started = performance.now();
for (let i = 0; i < count; i++) {
  const framer = framers[i % framers.length]!;
  const srcPort = 40000 + (i & 1023);
  const dstPort = 1 + (Math.floor(i / framers.length) % 65535);
  const seq = Math.imul(i, 0x9e3779b1) >>> 0;
  if (batch) batch.commit(framer.synInto(batch.next(), srcPort, dstPort, seq));
  else link.send(framer.syn(srcPort, dstPort, seq));
}
batch?.flush();
// A sending thread still has its queue to send: the time runs until it has.
const queued = batch as { pending?: number } | undefined;
while ((queued?.pending ?? 0) > 0) Bun.sleepSync(0.2);
const ms = performance.now() - started;
(batch as { close?: () => void } | undefined)?.close?.();
second?.close();
link.close();
const wire = txPackets() - wireBefore;
process.stdout.write(JSON.stringify({ frames: count, ms, sendPps: (count / ms) * 1000, wire }) + "\n");

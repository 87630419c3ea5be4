// The sending thread (Bun): frames committed by the scan leave once each, in
// order, and a send error reaches the scan as a PcapError. Loopback only; opening
// lo needs root or CAP_NET_RAW (CI runs as root).
import { describe, expect, test } from "bun:test";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { loadLibpcap, openPcapLink, PcapError, PcapHandle } from "../../ffi/index.ts";
import { ThreadSendBatch } from "../../ffi/send-thread.ts";
import { SplitBatch } from "../../ffi/split-batch.ts";
import { TxRingBatch } from "../../ffi/tx-ring-batch.ts";
import { eachOnceRunsInOrder, numberedFrame } from "./numbered-frame.ts";

const PORT = 9; // discard: nothing listens, the kernel answers with ICMP that the filter leaves out

const frame = (into: Uint8Array, n: number) => numberedFrame(into, n, 42000);

/** Sends 10,000 numbered frames on lo through a link with `threads` sending threads (sendmmsg, or TX rings); the numbers captured, in wire order. */
async function sendNumbered(threads: number, txRing = false): Promise<{ seen: number[]; batch: unknown }> {
  const lib = await loadLibpcap();
  using capture = PcapHandle.open(lib, { device: "lo", bufferSize: 32 << 20, nonblocking: true, immediate: true, direction: "in" });
  capture.setFilter(`udp dst port ${PORT} and udp src port 42000`);
  const link = openPcapLink(lib, "lo", { threads, txRing });
  const seen: number[] = [];
  try {
    for (let n = 0; n < 10_000; n++) link.batch!.commit(frame(link.batch!.next(), n));
    link.batch!.flush();
  } finally {
    link.close(); // sends what is queued first
  }
  const read = () => capture.readBatch(1024, (f) => seen.push(new DataView(f.buffer, f.byteOffset).getUint32(42)));
  for (let idle = 0; idle < 20 && seen.length < 10_000; ) idle = read() === 0 ? idle + 1 : 0, await Bun.sleep(5);
  return { seen, batch: link.batch };
}

describe("sending thread", () => {
  test("10,000 frames through a 4,096-slot ring reach the wire once each and in order", async () => {
    const { seen, batch } = await sendNumbered(1);
    expect(batch).toBeInstanceOf(ThreadSendBatch);
    expect(seen.length).toBe(10_000);
    expect(seen.every((n, i) => n === i)).toBe(true);
  });

  test("with two sending threads every frame reaches the wire once, each run of 64 in order", async () => {
    const { seen, batch } = await sendNumbered(2);
    expect(batch).toBeInstanceOf(SplitBatch);
    expect(eachOnceRunsInOrder(seen, 10_000)).toBe(true);
  });

  test("a link's sending thread sends from a TX ring where the kernel grants one: every frame once, in order", async () => {
    const { seen, batch } = await sendNumbered(1, true);
    expect(batch).toBeInstanceOf(TxRingBatch);
    expect(seen.length).toBe(10_000);
    expect(seen.every((n, i) => n === i)).toBe(true);
  });

  test("two sending threads on TX rings send every frame once, each run of 64 in order", async () => {
    const { seen, batch } = await sendNumbered(2, true);
    expect(batch).toBeInstanceOf(SplitBatch);
    expect(eachOnceRunsInOrder(seen, 10_000)).toBe(true);
  });

  test("a closed link leaves no socket or ring mapping behind, the ones its sending threads close included", async () => {
    const lib = await loadLibpcap();
    const fds = () => readdirSync("/proc/self/fd").length;
    const socketMaps = () => readFileSync("/proc/self/maps", "utf8").split("\n").filter((l) => l.includes("socket:[")).length;
    const before = { fds: fds(), maps: socketMaps() };
    const link = openPcapLink(lib, "lo", { threads: 2, txRing: true });
    expect(socketMaps()).toBe(before.maps + 3); // pcap's receive ring and two TX rings
    for (let n = 0; n < 1000; n++) link.batch!.commit(frame(link.batch!.next(), n));
    link.close();
    // The sending threads unmap and close their rings after the link is closed: wait for them.
    for (let i = 0; i < 100 && (fds() > before.fds || socketMaps() > before.maps); i++) await Bun.sleep(20);
    expect({ fds: fds(), maps: socketMaps() }).toEqual(before);
  });

  test("where the kernel grants no TX ring the link's sending thread falls back to sendmmsg", async () => {
    const lib = await loadLibpcap();
    // A libc whose socket(2) fails, as it would without CAP_NET_RAW or AF_PACKET: pcap's own socket is opened by libpcap.
    const libc = { ...lib.libc!, socket: () => -1 };
    const link = openPcapLink({ ...lib, libc }, "lo", { threads: 1 });
    try {
      expect(link.batch).toBeInstanceOf(ThreadSendBatch);
    } finally {
      link.close();
    }
  });

  test("a link starts its sending threads with its first frame, so a link never sent on costs none", async () => {
    const threads = () => readdirSync("/proc/self/task").length;
    // The earlier tests' sending threads end asynchronously: count once they have.
    const settled = async () => {
      let last = threads();
      for (let i = 0; i < 40; i++) {
        await Bun.sleep(25);
        const now = threads();
        if (now === last) return now;
        last = now;
      }
      return last;
    };
    const lib = await loadLibpcap();
    const before = await settled();
    const link = openPcapLink(lib, "lo", { threads: 2 });
    try {
      await Bun.sleep(50);
      const idle = threads();
      expect(idle).toBeLessThanOrEqual(before);
      link.batch!.commit(frame(link.batch!.next(), 0));
      link.batch!.flush();
      for (let i = 0; i < 100 && threads() <= idle; i++) await Bun.sleep(10);
      expect(threads()).toBeGreaterThan(idle);
    } finally {
      link.close();
    }
  });

  test("a send the kernel refuses stops the scan with a PcapError naming the device and the reason", async () => {
    const lib = await loadLibpcap();
    const fd = openSync("/dev/null", "r"); // not a socket: sendmmsg fails with ENOTSOCK
    const batch = ThreadSendBatch.start(lib.libc!, lib.memory, fd, "test0")!;
    try {
      batch.commit(frame(batch.next(), 1));
      let error: unknown = null;
      for (let i = 0; i < 200 && error === null; i++) {
        try {
          batch.flush();
          await Bun.sleep(10);
        } catch (e) {
          error = e;
        }
      }
      expect(error).toBeInstanceOf(PcapError);
      expect((error as PcapError).message).toBe("sendmmsg failed: test0: Socket operation on non-socket");
    } finally {
      batch.close();
      closeSync(fd);
    }
  });
});

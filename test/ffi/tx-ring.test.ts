// The PACKET_TX_RING sender: frames flagged in the mapped ring leave once each,
// in order, whether the kicks run on this thread or on a thread of their own,
// and a frame the kernel refuses stops the sender with a PcapError. Loopback
// only; the AF_PACKET socket needs root or CAP_NET_RAW (CI runs as root).
import { describe, expect, test } from "bun:test";
import { loadLibpcap, PcapError, PcapHandle } from "../../ffi/index.ts";
import { SplitBatch } from "../../ffi/split-batch.ts";
import { MSG_DONTWAIT, TX_FRAMES, TxRing } from "../../ffi/tx-ring.ts";
import { TxRingBatch } from "../../ffi/tx-ring-batch.ts";
import { eachOnceRunsInOrder, numberedFrame } from "./numbered-frame.ts";

const PORT = 9; // discard: nothing listens, the kernel answers with ICMP that the filter leaves out
const COUNT = 2 * TX_FRAMES + 1000; // more than twice the ring: every frame is reused

const frame = (into: Uint8Array, n: number) => numberedFrame(into, n, 42001);

/** Sends COUNT numbered frames on lo through `rings` TX rings; the numbers captured, in wire order. */
async function sendNumbered(rings: number, thread: boolean, flags: number, linear = true): Promise<number[]> {
  const lib = await loadLibpcap();
  using capture = PcapHandle.open(lib, { device: "lo", bufferSize: 32 << 20, nonblocking: true, immediate: true, direction: "in" });
  capture.setFilter(`udp dst port ${PORT} and udp src port 42001`);
  const parts = Array.from({ length: rings }, () => new TxRingBatch(TxRing.open(lib.libc!, lib.memory, "lo", linear), 64, flags, thread));
  const batch = rings === 1 ? parts[0]! : new SplitBatch(parts);
  const seen: number[] = [];
  try {
    for (let n = 0; n < COUNT; n++) batch.commit(frame(batch.next(), n));
    batch.flush();
  } finally {
    batch.close(); // sends what is flagged first
  }
  const read = () => capture.readBatch(1024, (f) => seen.push(new DataView(f.buffer, f.byteOffset).getUint32(42)));
  for (let idle = 0; idle < 20 && seen.length < COUNT; ) idle = read() === 0 ? idle + 1 : 0, await Bun.sleep(5);
  return seen;
}

const inOrder = (seen: number[]) => seen.length === COUNT && seen.every((n, i) => n === i);

describe("TX ring", () => {
  test(`${COUNT} frames through a ${TX_FRAMES}-frame ring, kicked on this thread, leave once each and in order`, async () => {
    expect(inOrder(await sendNumbered(1, false, 0))).toBe(true);
  });

  test("with the ring's pages attached as zero-copy fragments (no virtio_net_hdr), the frames leave the same", async () => {
    expect(inOrder(await sendNumbered(1, false, 0, false))).toBe(true);
  });

  test("kicked with MSG_DONTWAIT, the frames still leave once each and in order", async () => {
    expect(inOrder(await sendNumbered(1, false, MSG_DONTWAIT))).toBe(true);
  });

  test("kicked from a thread of its own, the frames leave once each and in order", async () => {
    expect(inOrder(await sendNumbered(1, true, 0))).toBe(true);
  });

  test("two rings on two kicking threads send every frame once, each run of 64 in order", async () => {
    const seen = await sendNumbered(2, true, 0);
    expect(eachOnceRunsInOrder(seen, COUNT)).toBe(true);
  });

  test("a frame shorter than an Ethernet header stops the sender with a PcapError naming the device", async () => {
    const lib = await loadLibpcap();
    const batch = new TxRingBatch(TxRing.open(lib.libc!, lib.memory, "lo"), 64, 0, false);
    try {
      batch.next();
      batch.commit(4);
      let error: unknown = null;
      try {
        batch.flush();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PcapError);
      expect((error as PcapError).message).toBe("send failed: lo: Invalid argument");
      // The refused frame stays refused: reusing its slot says so.
      for (let i = 1; i < TX_FRAMES; i++) batch.commit(frame(batch.next(), i));
      expect(() => batch.next()).toThrow("the kernel refused frame 0 of the TX ring");
    } finally {
      batch.close();
    }
  });

  test("closed twice, then used, the ring reports an error instead of touching unmapped memory", async () => {
    const lib = await loadLibpcap();
    const batch = new TxRingBatch(TxRing.open(lib.libc!, lib.memory, "lo"), 64, 0, true);
    batch.commit(frame(batch.next(), 0));
    batch.flush();
    batch.close();
    batch.close();
    expect(() => batch.next()).toThrow("use failed: lo: TX ring is closed");
  });

  test("a device that does not exist is refused by name", async () => {
    const lib = await loadLibpcap();
    expect(() => TxRing.open(lib.libc!, lib.memory, "nosuch0")).toThrow("PACKET_TX_RING failed: nosuch0: if_nametoindex: No such device");
  });
});

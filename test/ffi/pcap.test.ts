// libpcap through bun:ffi. Opening devices needs root or CAP_NET_RAW (CI runs as root).
import { describe, expect, test } from "bun:test";
import { DLT, findAllDevices, LIBPCAP_NOT_FOUND, loadLibpcap, PcapError, PcapHandle } from "../../ffi/index.ts";

describe("libpcap binding", () => {
  test("a PRTIP_LIBPCAP override that does not load is a clear PcapError, not a silent fallback", async () => {
    const error = await loadLibpcap("/nonexistent/libpcap.so").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PcapError);
    expect((error as PcapError).message).toBe(LIBPCAP_NOT_FOUND);
    expect(String((error as PcapError).cause)).toContain("/nonexistent/libpcap.so");
  });

  test("the system library loads and reports its version", async () => {
    const lib = await loadLibpcap();
    expect(lib.path).toMatch(/^libpcap\.so\.(1|0\.8)$/);
    expect(lib.version()).toStartWith("libpcap version");
  });

  test("findalldevs lists the loopback device with its loopback flag", async () => {
    const lo = findAllDevices(await loadLibpcap()).find((d) => d.name === "lo");
    expect(lo).toBeDefined();
    expect(lo!.flags & 1).toBe(1);
  });

  test("opening a device that does not exist names the call and the device", async () => {
    const lib = await loadLibpcap();
    try {
      PcapHandle.open(lib, { device: "prtip-nope0" });
      throw new Error("opened a missing device");
    } catch (e) {
      expect(e).toBeInstanceOf(PcapError);
      expect((e as PcapError).operation).toBe("pcap_activate");
      expect((e as PcapError).message).toContain("prtip-nope0");
    }
  });

  test("a bad filter expression is a PcapError carrying pcap's own message", async () => {
    using handle = PcapHandle.open(await loadLibpcap(), { device: "lo" });
    expect(() => handle.setFilter("tcp and ((")).toThrow(/pcap_compile "tcp and \(\(" failed: lo: .*syntax error/);
  });

  test("lo opens as Ethernet, reads nothing when idle and is closed by dispose", async () => {
    let outer: PcapHandle;
    {
      using handle = PcapHandle.open(await loadLibpcap(), { device: "lo" });
      outer = handle;
      expect(handle.linkType).toBe(DLT.en10mb);
      handle.setFilter("tcp dst port 1 and tcp src port 1");
      expect(handle.readBatch(16, () => {})).toBe(0);
      expect(handle.stats().dropped).toBe(0);
    }
    expect(outer.closed).toBe(true);
    expect(() => outer.inject(new Uint8Array(60))).toThrow("handle is closed");
  });

  test("a handle taking only incoming frames is not handed outgoing ones (the kernel never copies them to it)", async () => {
    const lib = await loadLibpcap();
    using handle = PcapHandle.open(lib, { device: "lo", direction: "in" });
    // A socket never sees its own sends; another's it does, unless told to ignore outgoing frames.
    using sender = PcapHandle.open(lib, { device: "lo" });
    // Ethertype 0x88b5 is reserved for local experiments: nothing else on lo matches.
    handle.setFilter("ether proto 0x88b5");
    // Frames on lo before the filter was set (other programs' loopback traffic) are counted too: count from here.
    const before = handle.stats().received;
    const frame = new Uint8Array(60);
    frame.set([0x88, 0xb5], 12);
    for (let i = 0; i < 10; i++) sender.inject(frame);
    let read = 0;
    for (let tries = 0; tries < 50 && read < 10; tries++) {
      read += handle.readBatch(16, () => {});
      if (read < 10) Bun.sleepSync(2);
    }
    expect(read).toBe(10);
    // On lo each frame goes out and comes back in: the kernel counts only the incoming copies.
    expect(handle.stats().received - before).toBe(10);
  });
});

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
});

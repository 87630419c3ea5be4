import { describe, expect, test } from "bun:test";
import { decodeFrame, formatMac, LINKTYPE, RejectCounter, resolveNeighbor, type LinkIO } from "../../src/net/index.ts";
import { FakeNet, VirtualWaiter } from "../scan/syn/fake-net.ts";

const ours = { srcMac: Uint8Array.from([2, 0, 0, 0, 0, 1]), source: "198.18.0.1" };

/** A LinkIO that counts requests and answers through FakeNet's simulated hosts. */
function segment(hosts: Record<string, object>, silent: string[] = []) {
  const net = new FakeNet({ hosts: hosts as never, silent });
  const sent: string[] = [];
  const io: LinkIO = {
    linkType: LINKTYPE.ethernet,
    send: (frame) => {
      const d = decodeFrame(frame, frame.length, LINKTYPE.ethernet, new RejectCounter());
      sent.push(d?.kind ?? "ndp-solicitation");
      net.send(frame);
    },
    receive: (max, sink) => net.receive(max, sink),
  };
  return { io, sent };
}

describe("ARP/NDP resolution on the wire", () => {
  test("an answered ARP request gives the target's MAC", async () => {
    const { io, sent } = segment({ "198.18.0.10": {} });
    const mac = await resolveNeighbor(io, "198.18.0.10", ours, new VirtualWaiter());
    expect(formatMac(mac!)).toBe("02:00:00:00:00:02");
    expect(sent).toEqual(["arp"]);
  });

  test("an IPv6 neighbour is found by solicitation", async () => {
    const { io } = segment({ "2001:db8::10": {} });
    const mac = await resolveNeighbor(io, "2001:db8::10", { srcMac: ours.srcMac, source: "2001:db8::1" }, new VirtualWaiter());
    expect(formatMac(mac!)).toBe("02:00:00:00:00:02");
  });

  test("a silent neighbour gives null after the asked number of attempts", async () => {
    const { io, sent } = segment({ "198.18.0.20": {} }, ["198.18.0.20"]);
    const waiter = new VirtualWaiter();
    expect(await resolveNeighbor(io, "198.18.0.20", { ...ours, attempts: 2, waitMs: 50 }, waiter)).toBeNull();
    expect(sent).toEqual(["arp", "arp"]);
    expect(waiter.time).toBeGreaterThanOrEqual(100);
  });

  test("each request waits for beforeSend (a scan's pause), and an aborted signal ends the asking with null", async () => {
    const { io, sent } = segment({ "198.18.0.20": {} }, ["198.18.0.20"]);
    const abort = new AbortController();
    let release = () => {};
    let asked = 0;
    const beforeSend = () => {
      if (++asked < 2) return;
      // The second request is held, as a pause holds it; a cancel lets it go.
      return new Promise<void>((resolve) => (release = resolve));
    };
    const result = resolveNeighbor(io, "198.18.0.20", { ...ours, attempts: 3, waitMs: 50, beforeSend, signal: abort.signal }, new VirtualWaiter());
    await Bun.sleep(1);
    expect(sent).toEqual(["arp"]);
    abort.abort();
    release();
    expect(await result).toBeNull();
    expect(sent).toEqual(["arp"]);
  });
});

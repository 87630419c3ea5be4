import { describe, expect, test } from "bun:test";
import {
  buildTcpFrame,
  checksum,
  decodeFrame,
  ETHERNET_HEADER,
  IPV4_HEADER,
  IPV6_HEADER,
  LINKTYPE,
  parseIp,
  RejectCounter,
  TCP_FLAG,
  tcpOptions,
  writeIPv4,
  type IcmpError,
  type RejectReason,
  type TcpSegment,
} from "../../src/net/index.ts";

const zeros = new Uint8Array(6);
const v4 = (text: string) => parseIp(text)!;
const syn = (src = "198.18.0.1", dst = "198.18.0.10", options?: Uint8Array) =>
  buildTcpFrame({ linkType: LINKTYPE.ethernet, srcMac: zeros, dstMac: zeros, src: v4(src), dst: v4(dst), srcPort: 40000, dstPort: 80, seq: 7, flags: TCP_FLAG.syn, options });

function expectRejected(frame: Uint8Array, reason: RejectReason, length = frame.length): void {
  const rejects = new RejectCounter();
  expect(decodeFrame(frame, length, LINKTYPE.ethernet, rejects)).toBeNull();
  expect(rejects.entries()).toEqual([[reason, 1]]);
}

const IP = ETHERNET_HEADER;
const TCP = ETHERNET_HEADER + IPV4_HEADER;

describe("parsers reject malformed frames by name", () => {
  test("a runt frame is ethernet-runt", () => expectRejected(syn(), "ethernet-runt", 13));

  test("IHL below 5 is ipv4-ihl", () => {
    const f = syn();
    f[IP] = 0x44;
    expectRejected(f, "ipv4-ihl");
  });

  test("IHL past the capture is ipv4-ihl", () => {
    const f = syn();
    f[IP] = 0x4f;
    expectRejected(f, "ipv4-ihl", IP + 40);
  });

  test("a total length beyond the capture is ipv4-total-length", () => {
    const f = syn();
    f[IP + 2] = 0x05;
    expectRejected(f, "ipv4-total-length");
  });

  test("a TCP data offset below 5 is tcp-data-offset", () => {
    const f = syn();
    f[TCP + 12] = 0x40;
    expectRejected(f, "tcp-data-offset");
  });

  test("option lengths 0 and 1 are tcp-option-length", () => {
    for (const length of [0, 1]) expectRejected(syn(undefined, undefined, Uint8Array.from([2, length, 0, 0])), "tcp-option-length");
  });

  test("an option running past the header is tcp-option-length", () => {
    expectRejected(syn(undefined, undefined, Uint8Array.from([1, 1, 8, 10])), "tcp-option-length");
  });

  test("SYN-ACK options come back in wire order with their values", () => {
    const opts = Uint8Array.from([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 7]);
    const f = syn(undefined, undefined, opts);
    const d = decodeFrame(f, f.length, LINKTYPE.ethernet, new RejectCounter()) as TcpSegment;
    expect(tcpOptions(f, d.tcp).map((o) => [o.name, o.value])).toEqual([
      ["MSS", 1460],
      ["SACK_PERMITTED", null],
      ["TIMESTAMP", 9],
      ["NOP", null],
      ["WSCALE", 7],
    ]);
  });
});

/** An ICMP port-unreachable from `reporter` quoting the first `quoteBytes` of `probe`'s IP datagram. */
function unreachable(probe: Uint8Array, quoteBytes: number): Uint8Array {
  const quote = probe.subarray(IP, IP + quoteBytes);
  const f = new Uint8Array(ETHERNET_HEADER + IPV4_HEADER + 8 + quote.length);
  f[12] = 0x08;
  const icmp = writeIPv4(f, IP, { src: v4("198.18.0.10"), dst: v4("198.18.0.1"), protocol: 1, payloadLength: 8 + quote.length });
  f[icmp] = 3;
  f[icmp + 1] = 3;
  f.set(quote, icmp + 8);
  const sum = checksum(f, icmp, f.length);
  f[icmp + 2] = sum >> 8;
  f[icmp + 3] = sum & 0xff;
  return f;
}

describe("ICMP errors", () => {
  test("a port unreachable quoting our SYN names its ports and sequence", () => {
    const f = unreachable(syn(), 28);
    const d = decodeFrame(f, f.length, LINKTYPE.ethernet, new RejectCounter()) as IcmpError;
    expect([d.kind, d.unreachable, d.quotedDst, d.srcPort, d.dstPort, d.seq]).toEqual(["icmp-error", true, "198.18.0.10", 40000, 80, 7]);
  });

  test("a quote shorter than the IP header plus 8 bytes is icmp-quote", () => {
    expectRejected(unreachable(syn(), 24), "icmp-quote");
  });
});

function ipv6Frame(chain: number[][], last: number): Uint8Array {
  const ext = chain.flat();
  const tcp = 20;
  const f = new Uint8Array(ETHERNET_HEADER + IPV6_HEADER + ext.length + tcp);
  f[12] = 0x86;
  f[13] = 0xdd;
  f[IP] = 0x60;
  const payload = ext.length + tcp;
  f[IP + 4] = payload >> 8;
  f[IP + 5] = payload & 0xff;
  f[IP + 6] = chain.length ? 0 : last;
  f.set(ext, IP + IPV6_HEADER);
  const t = IP + IPV6_HEADER + ext.length;
  f[t + 12] = 0x50;
  f[t + 13] = TCP_FLAG.rst;
  return f;
}

describe("IPv6 extension-header chains", () => {
  // Each header: next header, length in 8-byte units beyond the first, then padding.
  const hop = (next: number) => [next, 0, 0, 0, 0, 0, 0, 0];

  test("hop-by-hop then destination options lead to TCP", () => {
    const f = ipv6Frame([hop(60), hop(6)], 6);
    expect(decodeFrame(f, f.length, LINKTYPE.ethernet, new RejectCounter())?.kind).toBe("tcp");
  });

  test("a chain of more than 8 headers is ipv6-extension-chain", () => {
    const chain = Array.from({ length: 9 }, (_, i) => hop(i === 8 ? 6 : 60));
    expectRejected(ipv6Frame(chain, 6), "ipv6-extension-chain");
  });

  test("a header whose length runs past the payload is ipv6-extension-chain", () => {
    expectRejected(ipv6Frame([[6, 200, 0, 0, 0, 0, 0, 0]], 6), "ipv6-extension-chain");
  });

  test("a payload length beyond the capture is ipv6-payload-length", () => {
    const f = ipv6Frame([], 6);
    f[IP + 4] = 0x10;
    expectRejected(f, "ipv6-payload-length");
  });
});

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  buildArpRequest,
  buildTcpFrame,
  decodeFrame,
  formatIp,
  ipv4ChecksumValid,
  LINKTYPE,
  parseArp,
  parseIp,
  parseIPv4,
  RejectCounter,
  TCP_FLAG,
  tcpChecksumValid,
  type TcpSegment,
} from "../../src/net/index.ts";

const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const mac = fc.uint8Array({ minLength: 6, maxLength: 6 });
const port = fc.integer({ min: 1, max: 65535 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const linkType = fc.constantFrom(LINKTYPE.ethernet, LINKTYPE.null, LINKTYPE.raw);

const segment = fc.record({
  linkType,
  srcMac: mac,
  dstMac: mac,
  v6: fc.boolean(),
  a4: fc.tuple(ipv4, ipv4),
  a6: fc.tuple(ipv6, ipv6),
  srcPort: port,
  dstPort: port,
  seq: u32,
  ack: u32,
  flags: fc.integer({ min: 0, max: 0x3f }),
  window: fc.integer({ min: 0, max: 0xffff }),
  ttl: fc.integer({ min: 1, max: 255 }),
  options: fc.constantFrom(new Uint8Array(0), Uint8Array.from([2, 4, 5, 0xb4]), Uint8Array.from([2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1])),
});

type Segment = typeof segment extends fc.Arbitrary<infer T> ? T : never;
const build = (s: Segment) => {
  const [src, dst] = s.v6 ? s.a6 : s.a4;
  return buildTcpFrame({ ...s, src, dst });
};

describe("packet codecs", () => {
  test("a built TCP frame decodes to the fields it was built from", () => {
    fc.assert(
      fc.property(segment, (s) => {
        const frame = build(s);
        const d = decodeFrame(frame, frame.length, s.linkType, new RejectCounter()) as TcpSegment;
        const [src, dst] = s.v6 ? s.a6 : s.a4;
        expect(d.kind).toBe("tcp");
        expect(d.src).toBe(formatIp(src));
        expect(d.dst).toBe(formatIp(dst));
        expect(d.ttl).toBe(s.ttl);
        expect([d.tcp.srcPort, d.tcp.dstPort, d.tcp.seq, d.tcp.ack, d.tcp.flags, d.tcp.window]).toEqual([
          s.srcPort,
          s.dstPort,
          s.seq,
          s.ack,
          s.flags,
          s.window,
        ]);
        expect(d.tcp.headerLength).toBe(20 + s.options.length);
      }),
    );
  });

  test("built frames carry valid IPv4 and TCP checksums", () => {
    fc.assert(
      fc.property(segment, (s) => {
        const frame = build(s);
        const rejects = new RejectCounter();
        const d = decodeFrame(frame, frame.length, s.linkType, rejects) as TcpSegment;
        expect(tcpChecksumValid(frame, d.tcp.start, frame.length, d.srcBytes, d.dstBytes)).toBe(true);
        if (!s.v6) {
          const ip = parseIPv4(frame, d.srcBytes.byteOffset - 12, frame.length, rejects)!;
          expect(ipv4ChecksumValid(frame, ip)).toBe(true);
        }
      }),
    );
  });

  test("flipping any byte of a TCP segment breaks its checksum", () => {
    fc.assert(
      fc.property(segment, fc.nat(), fc.integer({ min: 1, max: 255 }), (s, at, xor) => {
        const frame = build(s);
        const d = decodeFrame(frame, frame.length, s.linkType, new RejectCounter()) as TcpSegment;
        const src = d.srcBytes.slice();
        const dst = d.dstBytes.slice();
        const i = d.tcp.start + (at % (frame.length - d.tcp.start));
        frame[i]! ^= xor;
        expect(tcpChecksumValid(frame, d.tcp.start, frame.length, src, dst)).toBe(false);
      }),
    );
  });

  test("decoding arbitrary bytes never throws on any link type", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), linkType, fc.nat(300), (bytes, lt, len) => {
        const rejects = new RejectCounter();
        decodeFrame(bytes, Math.min(len, bytes.length), lt, rejects);
      }),
      { numRuns: 2000 },
    );
  });

  test("every truncation of a valid frame is rejected and counted, never thrown", () => {
    fc.assert(
      fc.property(segment, fc.nat(), (s, cut) => {
        const frame = build(s);
        const length = cut % frame.length;
        const rejects = new RejectCounter();
        expect(decodeFrame(frame, length, s.linkType, rejects)).toBeNull();
        expect(rejects.total).toBe(1);
      }),
    );
  });

  test("mutated valid frames decode or are rejected, never thrown", () => {
    fc.assert(
      fc.property(segment, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }), (s, edits) => {
        const frame = build(s);
        for (const [at, v] of edits) frame[at % frame.length] = v;
        const rejects = new RejectCounter();
        const d = decodeFrame(frame, frame.length, s.linkType, rejects);
        if (d === null) expect(rejects.total).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  test("an ARP request parses back to its addresses", () => {
    fc.assert(
      fc.property(mac, ipv4, ipv4, (m, src, dst) => {
        const frame = buildArpRequest(m, src, dst);
        const arp = parseArp(frame, 14, frame.length, new RejectCounter())!;
        expect([arp.op, [...arp.senderMac], [...arp.senderIp], [...arp.targetIp]]).toEqual([1, [...m], [...src], [...dst]]);
        const d = decodeFrame(frame, frame.length, LINKTYPE.ethernet, new RejectCounter());
        expect(d?.kind).toBe("arp");
      }),
    );
  });
});

describe("addresses", () => {
  test("formatting then parsing an address gives back its bytes", () => {
    fc.assert(
      fc.property(fc.oneof(ipv4, ipv6), (bytes) => {
        expect([...parseIp(formatIp(bytes))!]).toEqual([...bytes]);
      }),
    );
  });

  test("IPv6 text is compressed the RFC 5952 way", () => {
    expect(formatIp(parseIp("2001:0db8:0000:0000:0000:0000:0000:0010")!)).toBe("2001:db8::10");
    expect(formatIp(parseIp("2001:db8:0:0:1:0:0:1")!)).toBe("2001:db8::1:0:0:1");
    expect(formatIp(parseIp("::1")!)).toBe("::1");
    expect(formatIp(parseIp("::ffff:198.18.0.1")!)).toBe("::ffff:c612:1");
  });

  test("malformed address text parses to null", () => {
    for (const bad of ["300.1.1.1", "1.2.3", "1.2.3.4.5", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:8:9", ""]) {
      expect(parseIp(bad)).toBeNull();
    }
  });

  test("TCP flags constants match the wire bits", () => {
    expect(TCP_FLAG.syn | TCP_FLAG.ack).toBe(0x12);
    expect(TCP_FLAG.rst | TCP_FLAG.ack).toBe(0x14);
  });
});

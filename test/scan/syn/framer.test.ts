import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { buildTcpFrame, LINKTYPE, TCP_FLAG } from "../../../src/net/index.ts";
import { SynFramer } from "../../../src/scan/syn/framer.ts";

const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const mac = fc.uint8Array({ minLength: 6, maxLength: 6 });
const port = fc.integer({ min: 0, max: 65535 });
const seq = fc.integer({ min: 0, max: 0xffffffff });
const MSS = Uint8Array.from([2, 4, 0x05, 0xb4]);

describe("SynFramer", () => {
  test("a patched template is byte for byte the SYN built from scratch, checksum included (IPv4 and IPv6)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(ipv4, ipv4), fc.tuple(ipv6, ipv6)), mac, mac, port, port, seq, ([src, dst], srcMac, dstMac, srcPort, dstPort, s) => {
        const spec = { linkType: LINKTYPE.ethernet, srcMac, dstMac, src, dst };
        const framer = new SynFramer(spec);
        const expected = buildTcpFrame({ ...spec, srcPort, dstPort, seq: s, flags: TCP_FLAG.syn, window: 1024, options: MSS });
        expect(framer.syn(srcPort, dstPort, s)).toEqual(expected);
        const out = new Uint8Array(framer.synLength + 8).fill(0xee);
        expect(framer.synInto(out, srcPort, dstPort, s)).toBe(expected.length);
        expect([...out.subarray(0, expected.length)]).toEqual([...expected]);
      }),
    );
  });
});

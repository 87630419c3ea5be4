// A simulated network for raw discovery: neighbours on 198.18.0.0/24 and
// 2001:db8::/64 answer ARP/NDP (through the SYN tests' FakeNet), hosts on
// 198.19.0.0/16 sit behind the router 198.18.0.254 and answer echo, SYN and
// ACK probes as `remote` says. Records every frame the scanner sent.
import {
  checksum,
  decodeFrame,
  ETHERNET_HEADER,
  formatIp,
  IPV6_HEADER,
  parseIPv4,
  parseLink,
  RejectCounter,
  TCP_FLAG,
  type NetSystem,
} from "../../../src/net/index.ts";
import { echoRequest } from "../../../src/scan/discover/frames.ts";
import type { PacketLink } from "../../../src/scan/syn/index.ts";
import { FakeNet, fakeSystem, SCANNER_MAC, TARGET_MAC, tcpReply } from "../syn/fake-net.ts";

export const GATEWAY = "198.18.0.254";

export interface Remote {
  echo?: boolean;
  /** How 443 answers a SYN. */
  syn443?: "syn-ack" | "rst";
  /** 80 answers an ACK with RST. */
  ack80?: boolean;
  /** Answers every probe, but with the wrong id, seq, ack or source. */
  liar?: boolean;
}

export const segmentSystem: NetSystem = {
  ...fakeSystem,
  read: (path) =>
    path === "/route"
      ? "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n" +
        "veth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\n" +
        "veth0\t000013C6\tFE0012C6\t0003\t0\t0\t0\t0000FFFF"
      : fakeSystem.read!(path),
};

export class FakeSegment implements PacketLink {
  readonly linkType = 1;
  readonly sent: { kind: string; dst: string; dstMac: string }[] = [];
  readonly filters: string[] = [];
  readonly neighbours: FakeNet;
  #queue: Uint8Array[] = [];
  #rejects = new RejectCounter();

  constructor(neighbours: string[], readonly remote: Record<string, Remote>, silent: string[] = []) {
    this.neighbours = new FakeNet({ hosts: Object.fromEntries([...neighbours, GATEWAY].map((h) => [h, {}])), silent });
  }

  arrive(frame: Uint8Array): void {
    this.#queue.push(frame);
  }

  send(frame: Uint8Array): void {
    const d = decodeFrame(frame, frame.length, this.linkType, this.#rejects);
    const dstMac = [...frame.subarray(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join(":");
    if (d?.kind === "arp") {
      this.sent.push({ kind: "arp", dst: formatIp(d.arp.targetIp), dstMac });
      return this.neighbours.send(frame);
    }
    if (frame[12] === 0x86 && frame[ETHERNET_HEADER + 6] === 58 && frame[ETHERNET_HEADER + IPV6_HEADER] === 135) {
      this.sent.push({ kind: "ndp", dst: formatIp(frame.subarray(ETHERNET_HEADER + IPV6_HEADER + 8, ETHERNET_HEADER + IPV6_HEADER + 24)), dstMac });
      return this.neighbours.send(frame);
    }
    if (d?.kind === "tcp") {
      const t = d.tcp;
      const kind = t.flags === TCP_FLAG.syn ? `syn:${t.dstPort}` : t.flags === TCP_FLAG.ack ? `ack:${t.dstPort}` : t.flags === TCP_FLAG.rst ? `rst:${t.dstPort}` : "tcp";
      this.sent.push({ kind, dst: d.dst, dstMac });
      const r = this.remote[d.dst];
      if (!r) return;
      const lie = r.liar ? 1 : 0;
      const back = { src: d.dstBytes.slice(), dst: d.srcBytes.slice(), srcPort: t.dstPort, dstPort: t.srcPort };
      if (kind === "syn:443" && (r.syn443 || r.liar)) {
        const flags = r.syn443 === "rst" ? TCP_FLAG.rst | TCP_FLAG.ack : TCP_FLAG.syn | TCP_FLAG.ack;
        this.arrive(tcpReply({ ...back, ack: (t.seq + 1 + lie) >>> 0 }, flags));
      }
      // RFC 9293: the RST answering a stray ACK takes its sequence number from that ACK.
      if (kind === "ack:80" && (r.ack80 || r.liar)) this.arrive(tcpReply({ ...back, ack: 0, seq: (t.ack + lie) >>> 0 }, TCP_FLAG.rst));
      return;
    }
    const link = parseLink(frame, frame.length, 1, this.#rejects);
    const ip = link ? parseIPv4(frame, link.payload, frame.length, this.#rejects) : null;
    if (!ip || ip.protocol !== 1 || frame[ip.payload] !== 8) return;
    const dst = formatIp(frame, ip.dst, 4);
    this.sent.push({ kind: "echo", dst, dstMac });
    const r = this.remote[dst];
    if (!r?.echo && !r?.liar) return;
    const id = (frame[ip.payload + 4]! << 8) | frame[ip.payload + 5]!;
    const seq = (frame[ip.payload + 6]! << 8) | frame[ip.payload + 7]!;
    const src = frame.slice(ip.dst, ip.dst + 4);
    if (r.liar) {
      this.arrive(echoReply(src, frame.slice(ip.src, ip.src + 4), (id + 1) & 0xffff, seq));
      this.arrive(echoReply(src, frame.slice(ip.src, ip.src + 4), id, (seq + 1) & 0xffff));
      // The right id and seq, but from an address that was never asked.
      this.arrive(echoReply(Uint8Array.from([198, 19, 9, 9]), frame.slice(ip.src, ip.src + 4), id, seq));
    } else this.arrive(echoReply(src, frame.slice(ip.src, ip.src + 4), id, seq));
  }

  receive(max: number, sink: (frame: Uint8Array, length: number) => void): number {
    let n = this.neighbours.receive(max, sink);
    const batch = this.#queue.splice(0, max - n);
    for (const f of batch) sink(f, f.length);
    return n + batch.length;
  }

  setFilter(expression: string): void {
    this.filters.push(expression);
  }

  stats() {
    return { received: 0, dropped: 0, ifDropped: 0 };
  }

  close(): void {}
}

function echoReply(from: Uint8Array, to: Uint8Array, id: number, seq: number): Uint8Array {
  const f = echoRequest({ linkType: 1, srcMac: TARGET_MAC, dstMac: SCANNER_MAC, src: from, dst: to }, id, seq);
  const at = ETHERNET_HEADER + 20;
  f[at] = 0;
  f[at + 2] = f[at + 3] = 0;
  const sum = checksum(f, at, f.length);
  f[at + 2] = sum >> 8;
  f[at + 3] = sum & 0xff;
  return f;
}

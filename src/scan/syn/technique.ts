// The SYN ("half-open") scan: one SYN per probe through pcap, verdicts from
// the replies pcap captures. Replies are checked statelessly against a keyed
// cookie; the only per-probe state is what retries and reporting need.
import { formatIp, LINKTYPE, RejectCounter, TCP_FLAG, tcpOptions, decodeFrame, type Decoded, type NetSystem, type TcpSegment, type Waiter } from "../../net/index.ts";
import type { PortResult, Probe, Technique, TechniqueContext } from "../technique.ts";
import { SynCookies } from "./cookie.ts";
import { Fifo } from "./fifo.ts";
import { HostTable, type HostState } from "./hosts.ts";
import { replyFilter, type LinkOpener } from "./link.ts";
import { RttEstimator } from "./rtt.ts";

export interface SynOptions {
  openLink: LinkOpener;
  net: NetSystem;
  waiter: Waiter;
  /** Fresh random bytes per scan (≥ 8). */
  secret: Uint8Array;
  /** Our source ports: the BPF filter admits replies to these only. */
  sourcePorts?: { first: number; count: number };
  /** Lowest retransmission timeout however fast the replies come. */
  minTimeoutMs?: number;
  resolveWaitMs?: number;
  resolveAttempts?: number;
  /** Probes sent between two looks at the receive queue. */
  burst?: number;
}

interface Entry {
  probe: Probe;
  host: HostState;
  attempts: number;
  sentAt: number;
  done: boolean;
}

/** What the technique saw besides verdicts; published as metrics and kept for tests. */
export interface SynCounters {
  sent: number;
  retries: number;
  replies: number;
  /** Replies whose ack or quoted sequence failed the cookie check. */
  spoofed: number;
  /** Valid-looking replies for probes already decided or never sent. */
  unsolicited: number;
}

export class SynTechnique implements Technique {
  readonly name = "syn" as const;
  readonly counters: SynCounters = { sent: 0, retries: 0, replies: 0, spoofed: 0, unsolicited: 0 };
  readonly rejects = new RejectCounter();
  readonly #o: SynOptions;
  readonly #cookies: SynCookies;
  readonly #ports: { first: number; count: number };
  readonly #hosts: HostTable;
  readonly #pending = new Map<string, Entry>();
  #nextPort = 0;

  constructor(options: SynOptions) {
    this.#o = options;
    this.#cookies = new SynCookies(options.secret);
    this.#ports = options.sourcePorts ?? { first: 40000 + (options.secret[8] ?? 0) * 64, count: 1024 };
    this.#hosts = new HostTable({
      net: options.net,
      openLink: options.openLink,
      filter: replyFilter(this.#ports.first, this.#ports.count),
      resolveWaitMs: options.resolveWaitMs ?? 250,
      resolveAttempts: options.resolveAttempts ?? 3,
    });
  }

  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    const { waiter } = this.#o;
    const rtt = new RttEstimator(ctx.timeoutMs, this.#o.minTimeoutMs ?? 100);
    const burst = this.#o.burst ?? 64;
    const iterator = probes[Symbol.iterator]();
    const fresh = new Fifo<Entry>();
    const inflight = new Fifo<Entry>();
    const backlog = new Map<HostState, Entry[]>();
    let exhausted = false;
    let outstanding = 0;

    const report = (e: Entry, r: Omit<PortResult, "target" | "port" | "protocol">) => {
      e.done = true;
      this.#pending.delete(`${e.host.key}|${e.probe.port}`);
      outstanding--;
      ctx.result({ target: e.probe.host, port: e.probe.port, protocol: "Tcp", ...r });
    };
    const unreachable = (e: Entry) => report(e, { state: "Filtered", reason: "no-response", rttMs: null });

    const send = async (e: Entry) => {
      const paced = ctx.pacer.acquire();
      if (paced) await paced;
      if (e.done) return;
      const sport = this.#ports.first + (this.#nextPort++ % this.#ports.count);
      const seq = this.#cookies.cookie(e.host.source, e.host.addr, sport, e.probe.port);
      e.host.link!.send(e.host.framer!.syn(sport, e.probe.port, seq));
      e.attempts++;
      e.sentAt = waiter.now();
      this.counters.sent++;
      inflight.push(e);
    };

    const onFrame = (d: Decoded) => {
      if (d.kind === "arp") return this.#hosts.answered(formatIp(d.arp.senderIp), d.arp.senderMac);
      if (d.kind === "ndp") return d.mac ? this.#hosts.answered(d.target, d.mac) : undefined;
      if (d.kind === "tcp") return this.#onTcp(d, rtt, report);
      if (!d.unreachable || d.protocol !== 6) return;
      const { first, count } = this.#ports;
      if (d.srcPort < first || d.srcPort >= first + count) return;
      this.counters.replies++;
      if (d.seq !== this.#cookies.cookie(d.quotedSrcBytes, d.quotedDstBytes, d.srcPort, d.dstPort)) {
        this.counters.spoofed++;
        return;
      }
      const e = this.#pending.get(`${d.quotedDst}|${d.dstPort}`);
      if (!e || e.done) this.counters.unsolicited++;
      else report(e, { state: "Filtered", reason: "icmp-unreach", rttMs: waiter.now() - e.sentAt });
    };

    try {
      while (!ctx.signal.aborted) {
        const paused = ctx.whilePaused();
        if (paused) await paused;
        this.#pump(onFrame);
        const now = waiter.now();
        this.#hosts.tick(now);
        for (let w = this.#hosts.warnings.shift(); w; w = this.#hosts.warnings.shift()) ctx.warning(w.message, w.code, "medium");
        for (let h = this.#hosts.settled.shift(); h; h = this.#hosts.settled.shift()) {
          for (const e of backlog.get(h) ?? []) (h.status === "ready" ? fresh.push(e) : unreachable(e));
          backlog.delete(h);
        }
        // Unanswered probes past their timeout: send again, or give up on them.
        const timeout = rtt.timeoutMs;
        for (let e = inflight.peek(); e && (e.done || now - e.sentAt >= timeout); e = inflight.peek()) {
          inflight.shift();
          if (e.done) continue;
          if (e.attempts > ctx.maxRetries) {
            report(e, { state: "Filtered", reason: "no-response", rttMs: null });
            continue;
          }
          ctx.retry(e.probe.host, e.probe.port, e.attempts + 1, Math.round(timeout));
          this.counters.retries++;
          await send(e);
        }
        let sent = 0;
        while (sent < burst && !ctx.signal.aborted) {
          let e = fresh.shift();
          if (!e && !exhausted) {
            const next = iterator.next();
            if (next.done) {
              exhausted = true;
              break;
            }
            e = this.#admit(next.value, now, backlog, unreachable) ?? undefined;
            outstanding++;
            if (!e) continue;
          }
          if (!e) break;
          if (e.done) continue;
          await send(e);
          sent++;
        }
        if (exhausted && outstanding === 0) break;
        if (sent === 0) await waiter.sleep(1);
      }
    } finally {
      this.#publishStats(ctx);
    }
  }

  /** A new probe: ready to send, parked until its next hop resolves, or decided at once. */
  #admit(probe: Probe, now: number, backlog: Map<HostState, Entry[]>, unreachable: (e: Entry) => void): Entry | null {
    const key = HostTable.keyOf(probe.host);
    const host = key ? this.#hosts.prepare(key, now) : null;
    const e: Entry = { probe, host: host!, attempts: 0, sentAt: 0, done: false };
    if (!host) {
      e.host = { key: probe.host, addr: new Uint8Array(4), source: new Uint8Array(4), link: null, framer: null, status: "unreachable", why: "" };
      unreachable(e);
      return null;
    }
    this.#pending.set(`${host.key}|${probe.port}`, e);
    if (host.status === "ready") return e;
    if (host.status === "unreachable") {
      unreachable(e);
      return null;
    }
    const parked = backlog.get(host);
    if (parked) parked.push(e);
    else backlog.set(host, [e]);
    return null;
  }

  #onTcp(d: TcpSegment, rtt: RttEstimator, report: (e: Entry, r: Omit<PortResult, "target" | "port" | "protocol">) => void): void {
    const t = d.tcp;
    const { first, count } = this.#ports;
    // Our own outgoing frames show up on loopback captures: a reply to a SYN always carries ACK.
    if (t.dstPort < first || t.dstPort >= first + count || !(t.flags & TCP_FLAG.ack)) return;
    const synAck = (t.flags & (TCP_FLAG.syn | TCP_FLAG.ack)) === (TCP_FLAG.syn | TCP_FLAG.ack);
    if (!synAck && !(t.flags & TCP_FLAG.rst)) return;
    this.counters.replies++;
    const cookie = this.#cookies.cookie(d.dstBytes, d.srcBytes, t.dstPort, t.srcPort);
    if (t.ack !== ((cookie + 1) >>> 0)) {
      this.counters.spoofed++;
      return;
    }
    const e = this.#pending.get(`${d.src}|${t.srcPort}`);
    if (!e || e.done) {
      this.counters.unsolicited++;
      return;
    }
    const rttMs = this.#o.waiter.now() - e.sentAt;
    if (e.attempts === 1) rtt.sample(rttMs); // Karn: a retried probe's RTT is ambiguous
    if (!synAck) return report(e, { state: "Closed", reason: "rst", rttMs });
    e.host.link!.send(e.host.framer!.rst(t.dstPort, t.srcPort, (cookie + 1) >>> 0));
    report(e, { state: "Open", reason: "syn-ack", rttMs, synAck: this.#traits(d) });
  }

  #traits(d: TcpSegment): PortResult["synAck"] {
    const options = tcpOptions(this.#frame!, d.tcp);
    return {
      ttl: d.ttl,
      window: d.tcp.window,
      options: options.map((o) => o.name),
      mss: options.find((o) => o.name === "MSS")?.value ?? null,
      windowScale: options.find((o) => o.name === "WSCALE")?.value ?? null,
    };
  }

  #frame: Uint8Array | null = null;

  #pump(onFrame: (d: Decoded) => void): void {
    for (const link of this.#hosts.links) {
      const linkType = link.linkType === LINKTYPE.ethernet || link.linkType === LINKTYPE.null || link.linkType === LINKTYPE.raw ? link.linkType : -1;
      while (
        link.receive(256, (frame, length) => {
          this.#frame = frame;
          const d = decodeFrame(frame, length, linkType, this.rejects);
          if (d) onFrame(d);
          this.#frame = null;
        }) === 256
      );
    }
  }

  #publishStats(ctx: TechniqueContext): void {
    let received = 0;
    let dropped = 0;
    for (const link of this.#hosts.links) {
      const s = link.stats();
      received += s.received;
      dropped += s.dropped + s.ifDropped;
    }
    ctx.metric("packets_sent", this.counters.sent);
    ctx.metric("packets_received", received);
    ctx.metric("packets_dropped", dropped);
  }

  close(): void {
    this.#hosts.close();
  }
}

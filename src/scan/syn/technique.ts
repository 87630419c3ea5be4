// The SYN ("half-open") scan: one SYN per probe through pcap, verdicts from
// the replies pcap captures. A SYN's sequence number is a keyed cookie of its
// addresses and ports xor its attempt number: a reply's ack gives the number
// back, and it counts only if that attempt was sent to the reply's host and
// port. The only per-probe state is what retries and reporting need.
import { decodeFrame, LINKTYPE, RejectCounter, TCP_FLAG, formatIp, type Decoded, type IcmpError, type TcpSegment } from "../../net/index.ts";
import { retriesFor, type PortResult, type Probe, type Technique, type TechniqueContext } from "../technique.ts";
import { AttemptLog } from "./attempts.ts";
import { SynCookies } from "./cookie.ts";
import { IntFifo } from "./fifo.ts";
import { readPlainRst, type PlainRst } from "./plain-rst.ts";
import { synAckTraits } from "./syn-ack.ts";
import { HostTable, type HostState } from "./hosts.ts";
import { replyFilter } from "./link.ts";
import type { SynCounters, SynOptions } from "./options.ts";
import { ProbeTable } from "./pending.ts";
import { RttEstimator } from "./rtt.ts";

type Verdict = Omit<PortResult, "target" | "port" | "protocol">;

export class SynTechnique implements Technique {
  readonly name = "syn" as const;
  readonly counters: SynCounters = { sent: 0, retries: 0, replies: 0, spoofed: 0, unsolicited: 0 };
  readonly rejects = new RejectCounter();
  readonly #o: SynOptions;
  readonly #cookies: SynCookies;
  readonly #ports: { first: number; count: number };
  readonly #hosts: HostTable;
  readonly #attempts = new AttemptLog();
  // Probes are numbers (slots of this table), so a scan's outstanding million
  // probes are a few typed arrays rather than a million objects for the GC.
  #probes = new ProbeTable();
  #rtt: RttEstimator;
  #nextPort = 0;
  #outstanding = 0;
  #ctx: TechniqueContext | null = null;
  // One scan's queues (scan() sets them): probes ready to send, sent and awaiting
  // a reply or their timeout, and waiting for their host's next hop.
  #iterator: Iterator<Probe> | null = null;
  #fresh = new IntFifo();
  #inflight = new IntFifo();
  #parked = new Map<HostState, number[]>();
  #exhausted = false;
  /** When this round began: the send time of its probes. */
  #roundAt = 0;
  /** This round's probes so far, and the new ones pulled from the iterator. */
  #sent = 0;
  #pulled = 0;
  /** The probe a pacer's wait was for; -1 for none. */
  #held = -1;
  readonly #onDecoded = (d: Decoded) => this.#onFrame(d);
  /** The frame being decoded, for reading SYN-ACK options. */
  #frame: Uint8Array | null = null;
  readonly #rst: PlainRst = { src: 0, dst: 0, srcPort: 0, dstPort: 0, ack: 0 };

  constructor(options: SynOptions) {
    this.#o = options;
    this.#cookies = new SynCookies(options.secret);
    this.#ports = options.sourcePorts ?? { first: 40000 + (options.secret[8] ?? 0) * 64, count: 1024 };
    this.#rtt = new RttEstimator(1000, options.minTimeoutMs ?? 100);
    this.#hosts = new HostTable({
      net: options.net,
      openLink: options.openLink,
      filter: replyFilter(this.#ports.first, this.#ports.count),
      resolveWaitMs: options.resolveWaitMs ?? 250,
      resolveAttempts: options.resolveAttempts ?? 3,
      synOptions: options.synOptions ?? "plain",
    });
  }

  async scan(probes: Iterable<Probe>, ctx: TechniqueContext): Promise<void> {
    const { waiter } = this.#o;
    this.#ctx = ctx;
    this.#rtt = new RttEstimator(ctx.timeoutMs, this.#o.minTimeoutMs ?? 100);
    this.#iterator = probes[Symbol.iterator]();
    const outstanding = ctx.outstanding ?? 1024;
    this.#probes = new ProbeTable(outstanding);
    this.#fresh = new IntFifo();
    this.#inflight = new IntFifo(outstanding);
    this.#attempts.reserve(outstanding);
    this.#held = -1;
    this.#parked = new Map();
    this.#exhausted = false;
    this.#roundAt = waiter.now();
    // The awaits live here, the work in the synchronous steps below: JavaScriptCore
    // compiled this loop with all its work inlined as one 3,000-bytecode async
    // function, twice per scan (~120 ms of the compiler's time each, or several
    // times that with both cores busy), where the steps compile on their own.
    try {
      while (!ctx.signal.aborted) {
        const paused = ctx.checkpoint();
        if (paused) await paused;
        // Queued probes leave before replies are read: a reply is never looked for before its probe went out.
        this.#flush();
        this.#pump(this.#onDecoded);
        const now = waiter.now();
        this.#roundAt = now;
        this.#settle(now);
        for (let wait = this.#expire(now); wait; wait = this.#expire(now)) {
          await wait;
          this.#sendHeld();
        }
        this.#sent = 0;
        this.#pulled = 0;
        for (let wait = this.#sendRound(now); wait; wait = this.#sendRound(now)) {
          await wait;
          this.#sendHeld();
        }
        this.#flush();
        if (this.#exhausted && this.#outstanding === 0) break;
        if (this.#sent === 0) await waiter.sleep(1);
      }
    } finally {
      this.#flush();
      this.#publishStats(ctx);
      this.#ctx = null;
    }
  }

  /** Hosts whose next hop was being resolved: their parked probes go out, or are decided unreachable. */
  #settle(now: number): void {
    const ctx = this.#ctx!;
    this.#hosts.tick(now);
    for (let w = this.#hosts.warnings.shift(); w; w = this.#hosts.warnings.shift()) ctx.warning(w.message, w.code, "medium");
    for (let h = this.#hosts.settled.shift(); h; h = this.#hosts.settled.shift()) {
      for (const p of this.#parked.get(h) ?? []) {
        if (h.status === "ready") this.#fresh.push(p);
        else {
          this.#unanswered(p);
          this.#probes.release(p);
        }
      }
      this.#parked.delete(h);
    }
  }

  /**
   * Unanswered probes past their timeout: sent again, or given up on. Returns
   * the pacer's wait when a retry must wait for it (the probe is then #held).
   */
  #expire(now: number): Promise<void> | undefined {
    const ctx = this.#ctx!;
    const timeout = this.#rtt.timeoutMs;
    const inflight = this.#inflight;
    const probes = this.#probes;
    for (let p = inflight.peek(); p >= 0 && (probes.done[p] === 1 || now - probes.sentAt[p]! >= timeout); p = inflight.peek()) {
      inflight.shift();
      if (probes.done[p] === 1) {
        probes.release(p);
        continue;
      }
      // Ten retries sent eleven SYNs a port into a host that never answers.
      const attempts = probes.attempts[p]!;
      if (attempts > retriesFor(probes.host(p).answered, ctx.maxRetries)) {
        this.#unanswered(p);
        probes.release(p);
        continue;
      }
      ctx.retry(probes.target(p), probes.port[p]!, attempts + 1, Math.round(timeout));
      this.counters.retries++;
      const wait = this.#paced(p);
      if (wait) return wait;
    }
    return undefined;
  }

  /**
   * Up to a burst of new probes. Probes pulled for hosts still resolving wait
   * aside; bound them per round so replies keep flowing. Returns the pacer's
   * wait when a probe must wait for it (the probe is then #held).
   */
  #sendRound(now: number): Promise<void> | undefined {
    const ctx = this.#ctx!;
    // 256: each round also reads the capture, kicks the rings and looks at timeouts
    // and the pause; 64 probes a round paid for that four times as often (bench-scan
    // (d) +2.3% and +6.7%, (e) +1.0% and 0%, 9 and 7 paired runs). 256 replies a
    // round at most still fit the capture buffer (~25,000) many times over.
    const burst = this.#o.burst ?? 256;
    while (this.#sent < burst && this.#pulled < 4096 && !ctx.signal.aborted) {
      let p = this.#fresh.shift();
      if (p < 0 && !this.#exhausted) {
        this.#pulled++;
        const next = this.#iterator!.next();
        if (next.done) {
          this.#exhausted = true;
          break;
        }
        p = this.#admit(next.value, now);
      }
      if (p < 0) {
        if (this.#exhausted) break;
        continue;
      }
      this.#sent++;
      const wait = this.#paced(p);
      if (wait) return wait;
    }
    return undefined;
  }

  /** Sends probe `p` now, or holds it and returns the pacer's wait: the pacer decides per probe, so unthrottled sends stay synchronous. */
  #paced(p: number): Promise<void> | undefined {
    const wait = this.#ctx!.pacer.acquire();
    if (wait) {
      this.#flush();
      this.#held = p;
      return wait;
    }
    if (this.#probes.done[p] === 0) this.#send(p);
    return undefined;
  }

  /** After the pacer's wait: the held probe goes out, unless a reply decided it meanwhile. */
  #sendHeld(): void {
    this.#roundAt = this.#o.waiter.now();
    const p = this.#held;
    this.#held = -1;
    if (this.#probes.done[p] === 0) this.#send(p);
  }

  #send(p: number): void {
    const probes = this.#probes;
    const sport = this.#ports.first + (this.#nextPort++ % this.#ports.count);
    const h = probes.host(p);
    const port = probes.port[p]!;
    const attempt = this.#attempts.add(p, probes.awaitingReply);
    probes.attempt[p] = attempt;
    if (probes.attempts[p] === 0) probes.firstAttempt[p] = attempt;
    const cookie = h.addrV4 >= 0 ? this.#cookies.cookieV4(h.sourceV4, h.addrV4, sport, port) : this.#cookies.cookie(h.source, h.addr, sport, port);
    const seq = (cookie ^ attempt) >>> 0;
    const batch = h.link!.batch;
    if (batch && h.framer!.synLength <= batch.slotSize) batch.commit(h.framer!.synInto(batch.next(), sport, port, seq));
    else h.link!.send(h.framer!.syn(sport, port, seq));
    probes.attempts[p]!++;
    // One clock reading per round of sends: a round takes microseconds, timeouts are milliseconds.
    probes.sentAt[p] = this.#roundAt;
    this.counters.sent++;
    this.#inflight.push(p);
  }

  /** A new probe: ready to send, parked until its next hop resolves, or decided at once. */
  #admit(probe: Probe, now: number): number {
    const host = this.#hosts.forProbe(probe.host, now, probe.hostIndex);
    const p = this.#probes.admit(probe.host, probe.port, host, probe.hostIndex);
    this.#outstanding++;
    if (host.status === "ready") return p;
    if (host.status === "unreachable") {
      this.#unanswered(p);
      this.#probes.release(p);
    } else {
      const list = this.#parked.get(host);
      if (list) list.push(p);
      else this.#parked.set(host, [p]);
    }
    return -1;
  }

  #report(p: number, verdict: Verdict): void {
    const probes = this.#probes;
    probes.done[p] = 1;
    this.#outstanding--;
    const result: PortResult = { target: probes.target(p), port: probes.port[p]!, protocol: "Tcp", state: verdict.state, reason: verdict.reason, rttMs: verdict.rttMs };
    if (verdict.synAck) result.synAck = verdict.synAck;
    this.#ctx!.result(result);
  }

  #unanswered(p: number): void {
    this.#report(p, { state: "Filtered", reason: "no-response", rttMs: null });
  }

  /**
   * The undecided probe a reply answers: `n` is the attempt number its ack (or
   * quoted sequence) gives back, and that attempt must have gone to `from`,
   * port `port`. Anything else is spoofed (or a reply so late its attempt was
   * forgotten); a probe already decided makes the reply unsolicited.
   */
  #answered(n: number, from: Uint8Array, port: number): number {
    const p = this.#attempts.get(n | 0);
    return this.#decide(p >= 0 && this.#probes.sentTo(p, n | 0, port) && sameBytes(this.#probes.host(p).addr, from) ? p : -1);
  }

  #answeredV4(n: number, from: number, port: number): number {
    const p = this.#attempts.get(n | 0);
    return this.#decide(p >= 0 && this.#probes.sentTo(p, n | 0, port) && this.#probes.host(p).addrV4 === from ? p : -1);
  }

  /** The probe a valid reply decides, or -1 (a spoofed reply, or one for a probe decided already). */
  #decide(p: number): number {
    if (p < 0) {
      this.counters.spoofed++;
      return -1;
    }
    this.#probes.host(p).answered = true;
    if (this.#probes.done[p] === 0) return p;
    this.counters.unsolicited++;
    return -1;
  }

  #onFrame(d: Decoded): void {
    if (d.kind === "arp") this.#hosts.answered(formatIp(d.arp.senderIp), d.arp.senderMac);
    else if (d.kind === "ndp") {
      if (d.mac) this.#hosts.answered(d.target, d.mac);
    } else if (d.kind === "tcp") this.#onTcp(d);
    else this.#onIcmp(d);
  }

  #onIcmp(d: IcmpError): void {
    const { first, count } = this.#ports;
    if (!d.unreachable || d.protocol !== 6 || d.srcPort < first || d.srcPort >= first + count) return;
    this.counters.replies++;
    const p = this.#answered(d.seq ^ this.#cookies.cookie(d.quotedSrcBytes, d.quotedDstBytes, d.srcPort, d.dstPort), d.quotedDstBytes, d.dstPort);
    if (p >= 0) this.#report(p, { state: "Filtered", reason: "icmp-unreach", rttMs: this.#o.waiter.now() - this.#probes.sentAt[p]! });
  }

  #onTcp(d: TcpSegment): void {
    const t = d.tcp;
    const { first, count } = this.#ports;
    // Our own outgoing frames show up on loopback captures: a reply to a SYN always carries ACK.
    if (t.dstPort < first || t.dstPort >= first + count || !(t.flags & TCP_FLAG.ack)) return;
    const synAck = (t.flags & (TCP_FLAG.syn | TCP_FLAG.ack)) === (TCP_FLAG.syn | TCP_FLAG.ack);
    if (!synAck && !(t.flags & TCP_FLAG.rst)) return;
    this.counters.replies++;
    const p = this.#answered((t.ack - 1) ^ this.#cookies.cookie(d.dstBytes, d.srcBytes, t.dstPort, t.srcPort), d.srcBytes, t.srcPort);
    if (p < 0) return;
    const rttMs = this.#o.waiter.now() - this.#probes.sentAt[p]!;
    if (this.#probes.attempts[p] === 1) this.#rtt.sample(rttMs); // Karn: a retried probe's RTT is ambiguous
    if (!synAck) return this.#report(p, { state: "Closed", reason: "rst", rttMs });
    const host = this.#probes.host(p);
    host.link!.send(host.framer!.rst(t.dstPort, t.srcPort, t.ack));
    this.#report(p, { state: "Open", reason: "syn-ack", rttMs, synAck: synAckTraits(this.#frame, d) });
  }

  /** A closed port's RST-ACK read on the fast path (see plain-rst.ts); false hands the frame to decodeFrame. */
  #plainRst(b: Uint8Array, at: number, end: number): boolean {
    const r = this.#rst;
    if (!readPlainRst(b, at, end, r)) return false;
    const { first, count } = this.#ports;
    if (r.dstPort < first || r.dstPort >= first + count) return true;
    this.counters.replies++;
    const p = this.#answeredV4((r.ack - 1) ^ this.#cookies.cookieV4(r.dst, r.src, r.dstPort, r.srcPort), r.src, r.srcPort);
    if (p < 0) return true;
    const rttMs = this.#o.waiter.now() - this.#probes.sentAt[p]!;
    if (this.#probes.attempts[p] === 1) this.#rtt.sample(rttMs);
    this.#report(p, { state: "Closed", reason: "rst", rttMs });
    return true;
  }

  #pump(onFrame: (d: Decoded) => void): void {
    for (const link of this.#hosts.links) {
      const known = link.linkType === LINKTYPE.ethernet || link.linkType === LINKTYPE.null || link.linkType === LINKTYPE.raw;
      const linkType = known ? link.linkType : -1;
      const ethernet = link.linkType === LINKTYPE.ethernet;
      const sink = (buf: Uint8Array, at: number, length: number) => {
        const end = Math.min(at + length, buf.length);
        if (ethernet && this.#plainRst(buf, at, end)) return;
        const frame = at === 0 && end === buf.length ? buf : buf.subarray(at, end);
        this.#frame = frame;
        const d = decodeFrame(frame, frame.length, linkType, this.rejects);
        if (d) onFrame(d);
        this.#frame = null;
      };
      if (link.receiveAt) while (link.receiveAt(256, sink) === 256);
      else {
        const whole = (frame: Uint8Array, length: number) => sink(frame, 0, length);
        while (link.receive(256, whole) === 256);
      }
    }
  }

  /** Sends the probes queued in every link's batch. */
  #flush(): void {
    for (const link of this.#hosts.links) link.batch?.flush();
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

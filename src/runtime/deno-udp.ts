// -sU's UdpExchange under Deno: a non-blocking connected socket through libc,
// because Deno's node:dgram drops the ICMP errors that tell a closed port
// (ECONNREFUSED) from a silent one. One shared ticker polls every pending
// socket; a reply, a refusal or the timeout settles each.
import type { UdpAnswer, UdpExchange } from "../detect/index.ts";
import { parseIp } from "../net/index.ts";
import { monotonicClock } from "./capabilities.ts";
import { errno, libcFunctions } from "./libc.ts";

const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_DGRAM_NONBLOCK_CLOEXEC = 2 | 0o4000 | 0o2000000;
const EAGAIN = 11;
const ERRNO_ANSWER: Record<number, "refused" | "unreachable"> = {
  111: "refused", // ECONNREFUSED: port unreachable
  113: "unreachable", // EHOSTUNREACH
  101: "unreachable", // ENETUNREACH
  13: "unreachable", // EACCES: admin prohibited
  1: "unreachable", // EPERM
};
const POLL_MS = 2;
const RECV_SIZE = 65536;

/** struct sockaddr_in / sockaddr_in6 for host:port, or null when host is not an address. */
function sockaddr(host: string, port: number): Uint8Array | null {
  const ip = parseIp(host);
  if (!ip) return null;
  const v6 = ip.length === 16;
  const addr = new Uint8Array(v6 ? 28 : 16);
  const view = new DataView(addr.buffer);
  view.setUint16(0, v6 ? AF_INET6 : AF_INET, true);
  view.setUint16(2, port, false);
  addr.set(ip, v6 ? 8 : 4);
  return addr;
}

/**
 * Was the socket's ephemeral port picked as the target's, on the target's
 * address? The probe would come back to this socket and read as a reply; no
 * other socket holds an ephemerally picked port, so the port is closed.
 */
function boundToTarget(fd: number, target: Uint8Array): boolean {
  const own = new Uint8Array(target.length);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, own.length, true);
  if (libcFunctions().getsockname(fd, own, len) !== 0) return false;
  // sockaddr_in: port at 2-3, address at 4-7; sockaddr_in6: port at 2-3, address at 8-23
  const same = (from: number, to: number) => own.subarray(from, to).every((b, i) => b === target[from + i]);
  return same(2, 4) && (target.length === 28 ? same(8, 24) : same(4, 8));
}

interface Pending {
  fd: number;
  sentAt: number;
  deadline: number;
  finish(answer: UdpAnswer): void;
}

const pending = new Set<Pending>();
let ticker: ReturnType<typeof setInterval> | null = null;
const recvBuf = new Uint8Array(RECV_SIZE);

function poll(): void {
  const libc = libcFunctions();
  const now = monotonicClock.now();
  for (const p of pending) {
    const n = libc.recv(p.fd, recvBuf, RECV_SIZE, 0);
    if (n >= 0) p.finish({ kind: "reply", bytes: recvBuf.slice(0, n), rttMs: now - p.sentAt });
    else {
      const code = errno();
      const kind = ERRNO_ANSWER[code];
      if (kind) p.finish({ kind, rttMs: now - p.sentAt });
      else if (code !== EAGAIN || now >= p.deadline) p.finish({ kind: "silent" });
    }
  }
  if (pending.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = null;
  }
}

export const denoUdpExchange: UdpExchange = (host, port, payload, options) =>
  new Promise<UdpAnswer>((resolve) => {
    if (options.signal?.aborted) return resolve({ kind: "silent" });
    const libc = libcFunctions();
    const addr = sockaddr(host, port);
    if (!addr) return resolve({ kind: "silent" });
    const fd = libc.socket(addr.length === 28 ? AF_INET6 : AF_INET, SOCK_DGRAM_NONBLOCK_CLOEXEC, 0);
    if (fd < 0) return resolve({ kind: "silent" });
    const sentAt = monotonicClock.now();
    let done = false;
    const entry: Pending = {
      fd,
      sentAt,
      deadline: sentAt + options.timeoutMs,
      finish(answer) {
        if (done) return;
        done = true;
        pending.delete(entry);
        options.signal?.removeEventListener("abort", onAbort);
        libc.close(fd);
        resolve(answer);
      },
    };
    const onAbort = () => entry.finish({ kind: "silent" });
    const failed = () => {
      const kind = ERRNO_ANSWER[errno()];
      libc.close(fd);
      resolve(kind ? { kind, rttMs: monotonicClock.now() - sentAt } : { kind: "silent" });
    };
    if (libc.connect(fd, addr, addr.length) !== 0) return failed();
    if (boundToTarget(fd, addr)) {
      libc.close(fd);
      return resolve({ kind: "refused", rttMs: 0 });
    }
    if (libc.send(fd, payload, payload.length, 0) < 0) return failed();
    pending.add(entry);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    ticker ??= setInterval(poll, POLL_MS);
  });

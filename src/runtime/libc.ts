// libc calls Deno cannot make within prtip's permission set, through the same
// FFI loader as libpcap (--allow-ffi, which prtip needs for libpcap anyway):
// - Deno refuses /proc and /sys reads to anything but --allow-all, and the
//   routing table, interface MACs and CapEff live there;
// - Deno's node:process has no setgroups, and its setuid/setgid want a sys
//   permission that --allow-sys=... does not accept by name;
// - Deno's node:dgram never reports ICMP errors (a refused UDP port), which
//   -sU needs, so deno-udp.ts speaks to a connected socket itself.
import { denoLoader } from "../../ffi/deno.ts";
import type { Pointer } from "../../ffi/native.ts";

interface LibcFunctions {
  // int open(const char *path, int flags);
  open(path: Uint8Array, flags: number): number;
  // ssize_t read(int fd, void *buf, size_t count);  (i32 is enough for our 64 KiB reads)
  read(fd: number, buf: Uint8Array, count: number): number;
  // int close(int fd);
  close(fd: number): number;
  // int setgroups(size_t size, const gid_t *list);
  setgroups(size: number, list: Uint8Array): number;
  // int setgid(gid_t gid); int setuid(uid_t uid);
  setgid(gid: number): number;
  setuid(uid: number): number;
  // int socket(int domain, int type, int protocol);
  socket(domain: number, type: number, protocol: number): number;
  // int connect(int fd, const struct sockaddr *addr, socklen_t len);
  connect(fd: number, addr: Uint8Array, len: number): number;
  // ssize_t send(int fd, const void *buf, size_t len, int flags);
  send(fd: number, buf: Uint8Array, len: number, flags: number): number;
  // ssize_t recv(int fd, void *buf, size_t len, int flags);
  recv(fd: number, buf: Uint8Array, len: number, flags: number): number;
  // int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
  getsockname(fd: number, addr: Uint8Array, len: Uint8Array): number;
  // int *__errno_location(void);
  __errno_location(): Pointer | null;
}

let libc: LibcFunctions | null = null;

function load(): LibcFunctions {
  libc ??= denoLoader.open<LibcFunctions>(["libc.so.6"], {
    open: { params: ["ptr", "i32"], result: "i32" },
    read: { params: ["i32", "ptr", "usize"], result: "i32" },
    close: { params: ["i32"], result: "i32" },
    setgroups: { params: ["usize", "ptr"], result: "i32" },
    setgid: { params: ["u32"], result: "i32" },
    setuid: { params: ["u32"], result: "i32" },
    socket: { params: ["i32", "i32", "i32"], result: "i32" },
    connect: { params: ["i32", "ptr", "u32"], result: "i32" },
    send: { params: ["i32", "ptr", "usize", "i32"], result: "i32" },
    recv: { params: ["i32", "ptr", "usize", "i32"], result: "i32" },
    getsockname: { params: ["i32", "ptr", "ptr"], result: "i32" },
    __errno_location: { params: [], result: "ptr" },
  }).fns;
  return libc;
}

/** The libc functions themselves, opened on first use (Deno only). */
export function libcFunctions(): LibcFunctions {
  return load();
}

/** errno of the last failed call on this (the JavaScript) thread. */
export function errno(): number {
  const p = load().__errno_location();
  return p ? denoLoader.memory.readU32(p, 0) : 0;
}

const CHUNK = 64 * 1024;

/** A whole small kernel file (/proc, /sys) as text; throws like readFileSync when it cannot be opened. */
export function readKernelFile(path: string): string {
  const c = load();
  const fd = c.open(new TextEncoder().encode(path + "\0"), 0); // O_RDONLY
  if (fd < 0) throw new Error(`cannot open ${path}`);
  try {
    const decoder = new TextDecoder();
    const buf = new Uint8Array(CHUNK);
    let text = "";
    for (;;) {
      const n = c.read(fd, buf, CHUNK);
      if (n < 0) throw new Error(`cannot read ${path}`);
      if (n === 0) break;
      text += decoder.decode(buf.subarray(0, n), { stream: true });
    }
    return text + decoder.decode();
  } finally {
    c.close(fd);
  }
}

const check = (call: string, rc: number) => {
  if (rc !== 0) throw new Error(`${call} failed`);
};

export const libcIdentity = {
  setgroups(groups: number[]): void {
    // gid_t is a native-endian u32.
    check(`setgroups(${groups.join(",")})`, load().setgroups(groups.length, new Uint8Array(Uint32Array.from(groups).buffer)));
  },
  setgid: (gid: number) => check(`setgid(${gid})`, load().setgid(gid)),
  setuid: (uid: number) => check(`setuid(${uid})`, load().setuid(uid)),
};

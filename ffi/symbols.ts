// libpcap's symbols we bind, each beside its C signature. One table: the
// loader builds the binding from it and `PcapFunctions` types the result.
import type { NativeArg, Pointer, SymbolSpec } from "./native.ts";

export const PCAP_SYMBOLS = {
  // pcap_t *pcap_create(const char *source, char *errbuf);
  pcap_create: { params: ["ptr", "ptr"], result: "ptr" },
  // int pcap_set_snaplen(pcap_t *p, int snaplen);
  pcap_set_snaplen: { params: ["ptr", "i32"], result: "i32" },
  // int pcap_set_immediate_mode(pcap_t *p, int immediate_mode);
  pcap_set_immediate_mode: { params: ["ptr", "i32"], result: "i32" },
  // int pcap_set_buffer_size(pcap_t *p, int buffer_size);
  pcap_set_buffer_size: { params: ["ptr", "i32"], result: "i32" },
  // int pcap_set_timeout(pcap_t *p, int to_ms);
  pcap_set_timeout: { params: ["ptr", "i32"], result: "i32" },
  // int pcap_activate(pcap_t *p);
  pcap_activate: { params: ["ptr"], result: "i32" },
  // int pcap_compile(pcap_t *p, struct bpf_program *fp, const char *str, int optimize, bpf_u_int32 netmask);
  pcap_compile: { params: ["ptr", "ptr", "ptr", "i32", "u32"], result: "i32" },
  // int pcap_setfilter(pcap_t *p, struct bpf_program *fp);
  pcap_setfilter: { params: ["ptr", "ptr"], result: "i32" },
  // void pcap_freecode(struct bpf_program *fp);
  pcap_freecode: { params: ["ptr"], result: "void" },
  // int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf);
  pcap_setnonblock: { params: ["ptr", "i32", "ptr"], result: "i32" },
  // int pcap_setdirection(pcap_t *p, pcap_direction_t d);
  pcap_setdirection: { params: ["ptr", "i32"], result: "i32" },
  // int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data);
  pcap_next_ex: { params: ["ptr", "ptr", "ptr"], result: "i32" },
  // int pcap_inject(pcap_t *p, const void *buf, size_t size);
  pcap_inject: { params: ["ptr", "ptr", "usize"], result: "i32" },
  // int pcap_sendpacket(pcap_t *p, const u_char *buf, int size);
  pcap_sendpacket: { params: ["ptr", "ptr", "i32"], result: "i32" },
  // int pcap_dispatch(pcap_t *p, int cnt, pcap_handler callback, u_char *user);
  pcap_dispatch: { params: ["ptr", "i32", "ptr", "ptr"], result: "i32" },
  // pcap_dumper_t *pcap_dump_fopen(pcap_t *p, FILE *fp);
  pcap_dump_fopen: { params: ["ptr", "ptr"], result: "ptr" },
  // int pcap_dump_flush(pcap_dumper_t *p);
  pcap_dump_flush: { params: ["ptr"], result: "i32" },
  // long pcap_dump_ftell(pcap_dumper_t *p);  (our buffers stay far below 2 GiB: the low 32 bits are the value)
  pcap_dump_ftell: { params: ["ptr"], result: "i32" },
  // void pcap_dump_close(pcap_dumper_t *p);
  pcap_dump_close: { params: ["ptr"], result: "void" },
  // int pcap_get_selectable_fd(pcap_t *p);
  pcap_get_selectable_fd: { params: ["ptr"], result: "i32" },
  // int pcap_datalink(pcap_t *p);
  pcap_datalink: { params: ["ptr"], result: "i32" },
  // int pcap_stats(pcap_t *p, struct pcap_stat *ps);
  pcap_stats: { params: ["ptr", "ptr"], result: "i32" },
  // int pcap_findalldevs(pcap_if_t **alldevsp, char *errbuf);
  pcap_findalldevs: { params: ["ptr", "ptr"], result: "i32" },
  // void pcap_freealldevs(pcap_if_t *alldevs);
  pcap_freealldevs: { params: ["ptr"], result: "void" },
  // char *pcap_geterr(pcap_t *p);
  pcap_geterr: { params: ["ptr"], result: "ptr" },
  // void pcap_close(pcap_t *p);
  pcap_close: { params: ["ptr"], result: "void" },
  // const char *pcap_lib_version(void);
  pcap_lib_version: { params: [], result: "ptr" },
} as const satisfies Record<string, SymbolSpec>;

type Fn<R> = (...args: NativeArg[]) => R;

export interface PcapFunctions {
  pcap_create: Fn<Pointer | null>;
  pcap_set_snaplen: Fn<number>;
  pcap_set_immediate_mode: Fn<number>;
  pcap_set_buffer_size: Fn<number>;
  pcap_set_timeout: Fn<number>;
  pcap_activate: Fn<number>;
  pcap_compile: Fn<number>;
  pcap_setfilter: Fn<number>;
  pcap_freecode: Fn<void>;
  pcap_setnonblock: Fn<number>;
  pcap_setdirection: Fn<number>;
  pcap_next_ex: Fn<number>;
  pcap_inject: Fn<number>;
  pcap_sendpacket: Fn<number>;
  pcap_dispatch: Fn<number>;
  pcap_dump_fopen: Fn<Pointer | null>;
  pcap_dump_flush: Fn<number>;
  pcap_dump_ftell: Fn<number>;
  pcap_dump_close: Fn<void>;
  pcap_get_selectable_fd: Fn<number>;
  pcap_datalink: Fn<number>;
  pcap_stats: Fn<number>;
  pcap_findalldevs: Fn<number>;
  pcap_freealldevs: Fn<void>;
  pcap_geterr: Fn<Pointer | null>;
  pcap_close: Fn<void>;
  pcap_lib_version: Fn<Pointer | null>;
}

/** PCAP_ERRBUF_SIZE */
export const ERRBUF_SIZE = 256;
/** sizeof(struct bpf_program) on LP64: u_int bf_len, padding, struct bpf_insn *bf_insns. */
export const BPF_PROGRAM_SIZE = 16;
/** struct pcap_pkthdr on LP64: struct timeval ts (16), bpf_u_int32 caplen, bpf_u_int32 len. */
export const PKTHDR = { tvSec: 0, tvUsec: 8, caplen: 16, len: 20 } as const;
/** struct pcap_stat: u_int ps_recv, ps_drop, ps_ifdrop. */
export const STAT_SIZE = 12;
/** struct pcap_if on LP64: next, name, description, addresses, bpf_u_int32 flags. */
export const PCAP_IF = { next: 0, name: 8, description: 16, flags: 32 } as const;
export const PCAP_D = { inout: 0, in: 1, out: 2 } as const;
/** Link types we frame for. */
export const DLT = { null: 0, en10mb: 1, raw: 12, linuxSll: 113 } as const;

// The libc calls batched sends need, bound like libpcap's.
export const LIBC_SYMBOLS = {
  // int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
  sendmmsg: { params: ["i32", "ptr", "u32", "i32"], result: "i32" },
  // int *__errno_location(void);
  __errno_location: { params: [], result: "ptr" },
  // int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
  setsockopt: { params: ["i32", "i32", "i32", "ptr", "u32"], result: "i32" },
  // char *strerror(int errnum);
  strerror: { params: ["i32"], result: "ptr" },
  // void *malloc(size_t size); void free(void *p);
  malloc: { params: ["usize"], result: "ptr" },
  free: { params: ["ptr"], result: "void" },
  // FILE *fmemopen(void *buf, size_t size, const char *mode);
  fmemopen: { params: ["ptr", "usize", "ptr"], result: "ptr" },
  // void rewind(FILE *stream);
  rewind: { params: ["ptr"], result: "void" },
  // void *dlopen(const char *filename, int flags); void *dlsym(void *handle, const char *symbol);
  dlopen: { params: ["ptr", "i32"], result: "ptr" },
  dlsym: { params: ["ptr", "ptr"], result: "ptr" },
  // The PACKET_TX_RING socket (tx-ring.ts):
  // int socket(int domain, int type, int protocol); int bind(int fd, const struct sockaddr *addr, socklen_t len);
  socket: { params: ["i32", "i32", "i32"], result: "i32" },
  bind: { params: ["i32", "ptr", "u32"], result: "i32" },
  // unsigned int if_nametoindex(const char *ifname);
  if_nametoindex: { params: ["ptr"], result: "i32" },
  // void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off); int munmap(void *addr, size_t len);
  mmap: { params: ["ptr", "usize", "i32", "i32", "i32", "usize"], result: "ptr" },
  munmap: { params: ["ptr", "usize"], result: "i32" },
  // ssize_t send(int fd, const void *buf, size_t len, int flags);  (0 or -1 here: no data is passed)
  send: { params: ["i32", "ptr", "usize", "i32"], result: "i32" },
  // int close(int fd);
  close: { params: ["i32"], result: "i32" },
} as const satisfies Record<string, SymbolSpec>;

export interface LibcFunctions {
  sendmmsg: Fn<number>;
  __errno_location: Fn<Pointer | null>;
  setsockopt: Fn<number>;
  strerror: Fn<Pointer | null>;
  malloc: Fn<Pointer | null>;
  free: Fn<void>;
  fmemopen: Fn<Pointer | null>;
  rewind: Fn<void>;
  dlopen: Fn<Pointer | null>;
  dlsym: Fn<Pointer | null>;
  socket: Fn<number>;
  bind: Fn<number>;
  if_nametoindex: Fn<number>;
  mmap: Fn<Pointer | null>;
  munmap: Fn<number>;
  send: Fn<number>;
  close: Fn<number>;
}

/** dlopen flags: resolve now, and only find a library already loaded. */
export const RTLD = { NOW: 2, NOLOAD: 4 } as const;
/** struct pcap_sf_pkthdr, as pcap_dump writes each packet: 32-bit seconds and microseconds, caplen, len. */
export const SF_PKTHDR = { size: 16, caplen: 8, len: 12 } as const;

export const LIBC_CANDIDATES = ["libc.so.6"] as const;
/** struct mmsghdr on LP64: struct msghdr (56 bytes: name, namelen, iov, iovlen, control, controllen, flags) and msg_len, padded. */
export const MMSGHDR = { size: 64, iov: 16, iovlen: 24 } as const;
/** struct iovec on LP64: base pointer, size_t length. */
export const IOVEC = { size: 16, length: 8 } as const;
/** SOL_PACKET and its PACKET_IGNORE_OUTGOING option (linux/if_packet.h, Linux 4.20+). */
export const PACKET_SOCKOPT = { level: 263, ignoreOutgoing: 23 } as const;
export const ERRNO = { EINTR: 4, EAGAIN: 11, ENOBUFS: 105 } as const;

// The permissions prtip needs under Deno, spelled out (no blanket -A):
//   --allow-read   configs, target lists (-iL), logs for `prtip log`, /etc/passwd (privilege drop)
//   --allow-write  output files (-oN/-oX/-oG/-oJ/-oA) and the event log, wherever the user names them
//   --allow-net    connect scan, UDP replies, -sV banners and TLS, DNS for host names
//   --allow-ffi    libpcap (SYN scan) and libc: /proc and /sys reads, setgroups/setgid/setuid
//                  and -sU's socket (Deno refuses /proc and /sys to anything short of -A;
//                  see src/runtime/libc.ts). Native code can do anything: this flag is the trust.
//   --allow-env    only HOME (config file), NO_COLOR, TERM (dumb terminals), PRTIP_LIBPCAP and PRTIP_NMAP_SERVICES
//   --allow-sys    uid (privilege checks) and networkInterfaces (routing, source addresses)
// --no-prompt: an access outside this list fails at once instead of asking mid-scan.
// package.json's prtip:deno repeats them.
export const DENO_PERMISSIONS = [
  "--no-prompt",
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-ffi",
  "--allow-env=HOME,NO_COLOR,TERM,PRTIP_LIBPCAP,PRTIP_NMAP_SERVICES",
  "--allow-sys=uid,networkInterfaces",
];

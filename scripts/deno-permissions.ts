// The permissions prtip needs under Deno, spelled out (no blanket -A): read
// configs, targets and logs; write logs and outputs; sockets for connect and
// detection; libpcap through FFI; HOME, NO_COLOR and PRTIP_LIBPCAP; the uid
// (privilege checks), interfaces and host name. package.json's prtip:deno repeats them.
export const DENO_PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-ffi",
  "--allow-env",
  "--allow-sys=uid,networkInterfaces,hostname",
];

// Finding and loading libpcap once per process.
import { LIBPCAP_NOT_FOUND, PcapError } from "./errors.ts";
import { nativeLoader, type NativeLibrary, type NativeMemory } from "./native.ts";
import { LIBC_CANDIDATES, LIBC_SYMBOLS, PCAP_SYMBOLS, type LibcFunctions, type PcapFunctions } from "./symbols.ts";

export const LIBPCAP_CANDIDATES = ["libpcap.so.1", "libpcap.so.0.8"] as const;

export interface Libpcap {
  readonly path: string;
  readonly fns: PcapFunctions;
  readonly memory: NativeMemory;
  /** libc for batched sends (sendmmsg); null where it would not load, and sends go one by one. */
  readonly libc: LibcFunctions | null;
  version(): string;
}

let loaded: Promise<Libpcap> | null = null;
let loadedOverride: string | undefined;

/** `override` is PRTIP_LIBPCAP when set: tried alone, so a wrong override is an error, not a fallback. */
export function loadLibpcap(override?: string): Promise<Libpcap> {
  if (loaded && loadedOverride === override) return loaded;
  loadedOverride = override;
  loaded = load(override ? [override] : [...LIBPCAP_CANDIDATES]);
  loaded.catch(() => (loaded = null));
  return loaded;
}

async function load(paths: string[]): Promise<Libpcap> {
  const loader = await nativeLoader();
  let lib: NativeLibrary<PcapFunctions>;
  try {
    lib = loader.open<PcapFunctions>(paths, PCAP_SYMBOLS);
  } catch (cause) {
    throw new PcapError("load", LIBPCAP_NOT_FOUND, null, { cause });
  }
  const { memory } = loader;
  let libc: LibcFunctions | null = null;
  try {
    libc = loader.open<LibcFunctions>(LIBC_CANDIDATES, LIBC_SYMBOLS).fns;
  } catch {
    // Not glibc-named (musl, say): pcap_inject one frame at a time still works.
  }
  return {
    path: lib.path,
    fns: lib.fns,
    memory,
    libc,
    version() {
      const p = lib.fns.pcap_lib_version();
      return memory.isNull(p) ? "unknown" : memory.cstring(p);
    },
  };
}

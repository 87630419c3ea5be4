import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadLibpcap, openPcapLink } from "../../ffi/index.ts";
import { CliError } from "../errors.ts";
import { LINUX_NET_PATHS, loopbackInjectionAllowed, osAddresses, parseRoutes, timerWaiter } from "../net/index.ts";
import type { Block, HostDiscovery, TargetPlan } from "../scan/index.ts";
import type { Runtime } from "../runtime/index.ts";
import { processIdentity } from "../runtime/identity.ts";
import { kernelFileReader } from "../runtime/kernel-files.ts";
import { dropPrivileges, type PacketLink, rawPrivileges, SynTechnique } from "../scan/syn/index.ts";
import { RawDiscovery } from "../scan/discover/index.ts";

const readOr = (path: string, fallback = "", read = (p: string) => readFileSync(p, "utf8")) => {
  try {
    return read(path);
  } catch {
    return fallback;
  }
};

const LOOPBACK_V4 = { lo: 0x7f000000n, hi: 0x7fffffffn };

const isV4Loopback = (b: Block) => b.family === 4 && b.lo >= LOOPBACK_V4.lo && b.hi <= LOOPBACK_V4.hi;
const isV6Loopback = (b: Block) => b.family === 6 && b.lo === 1n && b.hi === 1n;

/** Only loopback targets (127.0.0.0/8, ::1), some of them IPv4: `prtip 127.0.0.1 ::1` counts. */
export function loopbackOnlyWithV4(targets: TargetPlan): boolean {
  const blocks = targets.include.map((t) => (t.kind === "block" ? t.block : null));
  return blocks.every((b) => b !== null && (isV4Loopback(b) || isV6Loopback(b))) && blocks.some((b) => b !== null && isV4Loopback(b));
}

/**
 * Only loopback targets while the kernel drops frames injected on lo from
 * 127.0.0.0/8: SYN would call every IPv4 port filtered, so the default becomes
 * connect (which reaches ::1 as well).
 */
export function loopbackOnlyWithoutInjection(targets: TargetPlan): boolean {
  return loopbackOnlyWithV4(targets) && !loopbackInjectionAllowed({ paths: LINUX_NET_PATHS, addresses: osAddresses, read: kernelFileReader() });
}

/** May this process capture and inject (root or CAP_NET_RAW)? */
export function canCapture(rt: Runtime): boolean {
  return rawPrivileges(rt.euid(), readOr("/proc/self/status", "", kernelFileReader())).canCapture;
}

export type SynSetup = { technique: SynTechnique; discovery: RawDiscovery } | { fallback: string };

/**
 * The SYN technique with its capture handles open. Handles are opened on every
 * interface a route leads through before the first probe, so root can be given
 * up (to nobody) straight after, as the scan itself needs only the open handles.
 */
export async function openSynTechnique(
  rt: Runtime,
  options: { dropPrivileges: boolean; fingerprint: boolean; warn(line: string): void; loopbackDiscovery: HostDiscovery },
): Promise<SynSetup> {
  let opener: (device: string) => PacketLink;
  const threads = sendingThreadCount(rt);
  const txRing = txRingWanted(rt);
  try {
    const lib = await loadLibpcap(rt.env("PRTIP_LIBPCAP"));
    // lo's link is opened for every scan and seldom sent on: no TX ring there, whose sockets cost the kernel
    // ~50 ms to set up and close (RCU grace periods) even when unused.
    opener = (device) => openPcapLink(lib, device, { threads, txRing: txRing && device !== "lo" });
  } catch (err) {
    return { fallback: err instanceof Error ? err.message : String(err) };
  }
  const read = kernelFileReader();
  const net = { paths: LINUX_NET_PATHS, addresses: osAddresses, read };
  const routes = parseRoutes(readOr(LINUX_NET_PATHS.route, "", read), readOr(LINUX_NET_PATHS.ipv6Route, "", read));
  const devices = new Set(["lo", ...routes.map((r) => r.iface)]);
  const opened = new Map<string, PacketLink>();
  for (const device of devices) {
    try {
      opened.set(device, opener(device));
    } catch {
      // An interface that is down or gone: the scan opens it on demand, or reports why.
    }
  }
  if (options.dropPrivileges && rt.euid() === 0) {
    const outcome = dropPrivileges(processIdentity, readOr("/etc/passwd"));
    if (!outcome.dropped) options.warn(`could not drop root privileges: ${outcome.reason}`);
  }
  const openLink = (device: string) => opened.get(device) ?? opener(device);
  // Discovery runs before the port scan on the same handles; the technique re-filters them for itself.
  const discovery = new RawDiscovery({ openLink, net, waiter: timerWaiter, secret: randomBytes(16), loopback: options.loopbackDiscovery });
  const technique = new SynTechnique({
    openLink,
    net,
    waiter: timerWaiter,
    secret: randomBytes(16),
    synOptions: options.fingerprint ? "fingerprint" : "plain",
  });
  return { technique, discovery };
}

/** The environment variables a SYN scan reads, checked before anything is opened (a bad one is exit 2). */
export function checkSynEnvironment(rt: Pick<Runtime, "name" | "env">): void {
  sendingThreadCount(rt);
  txRingWanted(rt);
}

/**
 * PRTIP_LIBPCAP, when set, must load as libpcap: checked before anything is opened. Found
 * only at the SYN setup, a typo in it read "libpcap not found: install libpcap0.8" (it is
 * installed) and the scan went on as a connect scan, after the output files were truncated.
 */
export async function checkLibpcapOverride(rt: Pick<Runtime, "env">, load: (override: string) => Promise<unknown> = loadLibpcap): Promise<void> {
  const override = rt.env("PRTIP_LIBPCAP");
  if (override === undefined || override === "") return;
  try {
    await load(override);
  } catch (err) {
    const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    // The loader's words repeat the path ("X: Failed to open library "X": X: file too short"): keep the last part.
    const why = (cause.split(`${override}: `).at(-1) ?? cause).split("\n")[0];
    throw new CliError(`invalid PRTIP_LIBPCAP ${JSON.stringify(override)}: it does not load as libpcap (${why}); unset it to use the system's`, 2);
  }
}

/**
 * Threads sending a SYN scan's frames (Bun; Deno sends from the scan's thread).
 * Two where there are two cores or more: the kernel's per-frame work then runs
 * beside the scan's own (scripts/bench-scan.sh, scenario d). PRTIP_SEND_THREADS
 * picks another count; 0 sends from the scan's thread.
 */
export function sendingThreadCount(rt: Pick<Runtime, "name" | "env">): number {
  if (rt.name !== "bun") return 0;
  const asked = rt.env("PRTIP_SEND_THREADS");
  if (asked !== undefined) {
    if (!/^[0-8]$/.test(asked)) throw new CliError(`PRTIP_SEND_THREADS must be a number from 0 to 8, got ${JSON.stringify(asked)}`, 2);
    return Number(asked);
  }
  return (globalThis.navigator?.hardwareConcurrency ?? 1) >= 2 ? 2 : 0;
}

/**
 * Whether sending threads send from a PACKET_TX_RING (where the kernel grants
 * one) rather than with sendmmsg: yes unless PRTIP_TX_RING=0, kept as the way
 * back should a driver mishandle the ring's frames.
 */
export function txRingWanted(rt: Pick<Runtime, "name" | "env">): boolean {
  // Deno has no sending threads, and may not read the variable (its --allow-env list is short).
  if (rt.name !== "bun") return false;
  const asked = rt.env("PRTIP_TX_RING");
  if (asked === undefined) return true;
  if (asked !== "0" && asked !== "1") throw new CliError(`PRTIP_TX_RING must be 0 or 1, got ${JSON.stringify(asked)}`, 2);
  return asked === "1";
}

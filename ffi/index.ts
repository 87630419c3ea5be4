// libpcap for prtip: load it, open handles, read and inject frames.
export { PcapError, LIBPCAP_NOT_FOUND } from "./errors.ts";
export { loadLibpcap, LIBPCAP_CANDIDATES, type Libpcap } from "./library.ts";
export { PcapHandle, type PcapOpenOptions, type PcapStats, type PacketSink } from "./handle.ts";
export { findAllDevices, type PcapDevice } from "./devices.ts";
export { DLT } from "./symbols.ts";
export { openPcapLink, pcapLinkOpener, type LinkOptions } from "./link.ts";

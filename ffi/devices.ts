// pcap_findalldevs: the capture devices libpcap can open.
import { PcapError } from "./errors.ts";
import type { Libpcap } from "./library.ts";
import { ERRBUF_SIZE, PCAP_IF } from "./symbols.ts";

export interface PcapDevice {
  name: string;
  description: string | null;
  /** PCAP_IF_* bits: 1 loopback, 2 up, 4 running. */
  flags: number;
}

export function findAllDevices(lib: Libpcap): PcapDevice[] {
  const { fns, memory } = lib;
  const slot = new BigUint64Array(1);
  const errbuf = new Uint8Array(ERRBUF_SIZE);
  if (fns.pcap_findalldevs(slot, errbuf) < 0) {
    const end = errbuf.indexOf(0);
    throw new PcapError("pcap_findalldevs", new TextDecoder().decode(errbuf.subarray(0, end < 0 ? 0 : end)));
  }
  const head = memory.pointerIn(slot);
  const devices: PcapDevice[] = [];
  try {
    for (let p = head; p; p = memory.readPointer(p, PCAP_IF.next)) {
      const name = memory.readPointer(p, PCAP_IF.name);
      const description = memory.readPointer(p, PCAP_IF.description);
      devices.push({
        name: name ? memory.cstring(name) : "",
        description: description ? memory.cstring(description) : null,
        flags: memory.readU32(p, PCAP_IF.flags),
      });
    }
  } finally {
    if (head) fns.pcap_freealldevs(head);
  }
  return devices;
}

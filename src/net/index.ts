// Packet codecs, checksums, and the host's interfaces, routes and neighbours.
export * from "./address.ts";
export * from "./arp.ts";
export * from "./checksum.ts";
export * from "./ethernet.ts";
export * from "./frame.ts";
export * from "./icmp.ts";
export * from "./icmpv6.ts";
export * from "./ipv4.ts";
export * from "./ipv6.ts";
export * from "./link-io.ts";
export * from "./neighbors.ts";
export * from "./rejects.ts";
export * from "./system.ts";
export * from "./tcp.ts";
export * from "./udp.ts";

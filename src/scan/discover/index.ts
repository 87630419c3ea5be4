// Host discovery with raw packets (ARP, NDP, ICMP/ICMPv6 echo, TCP SYN/ACK) for privileged scans.
export { RawDiscovery, type RawDiscoveryOptions, type DiscoveryCounters } from "./raw-discovery.ts";

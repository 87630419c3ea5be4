// prtip's own ranking of UDP ports, most commonly answering first, written for this
// project from the IANA service registry and operating experience of which UDP
// services networks run (it is not derived from nmap-services). UDP has its own
// list because its common services are not TCP's: name and time services, NetBIOS,
// SNMP, IPsec, discovery protocols, VPNs and VoIP. port-rank.ts completes it the way
// it completes the TCP list, so --top-ports N is defined for every N up to 65535.

/** [port, service name] in rank order. Names follow IANA's spelling where one exists. */
export const UDP_RANKED: readonly (readonly [number, string])[] = [
  // The services nearly every network answers on: names, addresses, time, Windows, management.
  [53, "domain"], [161, "snmp"], [123, "ntp"], [137, "netbios-ns"], [138, "netbios-dgm"],
  [67, "dhcps"], [68, "dhcpc"], [500, "isakmp"], [1900, "ssdp"], [5353, "mdns"],
  [514, "syslog"], [69, "tftp"], [162, "snmptrap"], [4500, "ipsec-nat-t"], [135, "msrpc"],
  [139, "netbios-ssn"], [445, "microsoft-ds"], [520, "router"], [1434, "ms-sql-m"], [631, "ipp"],
  [111, "rpcbind"], [2049, "nfs"], [1812, "radius"], [1813, "radacct"], [5060, "sip"],
  [49152, "unknown"], [1645, "radius"], [1646, "radacct"], [3478, "stun"], [1194, "openvpn"],
  [1701, "l2tp"], [427, "svrloc"], [3702, "ws-discovery"], [5355, "llmnr"], [11211, "memcache"],
  [88, "kerberos-sec"], [464, "kpasswd5"], [389, "ldap"], [1026, "unknown"], [1027, "unknown"],
  [1028, "unknown"], [49153, "unknown"], [49154, "unknown"], [3389, "ms-wbt-server"], [443, "https"],
  [80, "http"], [623, "asf-rmcp"], [5000, "upnp"], [177, "xdmcp"], [1604, "icabrowser"],
  // Classic small services, still answered by routers, printers and old Unix hosts.
  [7, "echo"], [9, "discard"], [13, "daytime"], [19, "chargen"], [17, "qotd"],
  [37, "time"], [49, "tacacs"], [10000, "ndmp"], [2000, "cisco-sccp"], [1985, "hsrp"],
  // VPN, voice and video, tunnels.
  [1723, "pptp"], [5061, "sips"], [5004, "avt-profile-1"], [5005, "avt-profile-2"], [1719, "h323gatestat"],
  [1718, "h225gatedisc"], [2427, "mgcp-gateway"], [2727, "mgcp-callagent"], [2746, "cpudpencap"], [4789, "vxlan"],
  [6081, "geneve"], [8472, "unknown"], [3544, "teredo"], [5351, "nat-pmp"], [5350, "nat-pmp-status"],
  // Windows, Apple and naming extras.
  [49155, "unknown"], [49156, "unknown"], [1025, "unknown"], [1029, "unknown"], [1030, "unknown"],
  [3283, "netassistant"], [5632, "pcanywherestat"], [1433, "ms-sql-s"], [546, "dhcpv6-client"], [547, "dhcpv6-server"],
  [521, "ripng"], [664, "asf-secure-rmcp"], [10161, "snmpdtls"], [10162, "snmpdtls-trap"], [6514, "syslog-tls"],
  // Routing, monitoring and flow export.
  [646, "ldp"], [3784, "bfd-control"], [3785, "bfd-echo"], [2055, "iop"], [4739, "ipfix"],
  [6343, "sflow"], [3799, "radius-dynauth"], [3130, "icpv2"], [33434, "traceroute"], [10080, "amanda"],
  // Industrial, IoT and embedded.
  [47808, "bacnet"], [20000, "dnp"], [44818, "EtherNetIP-2"], [2222, "EtherNetIP-1"], [5683, "coap"],
  [5684, "coaps"], [17185, "wdbrpc"], [2123, "gtp-control"], [2152, "gtp-user"], [4840, "opcua-udp"],
  // Games, peer-to-peer and consoles: common on home and campus networks.
  [3074, "xbox"], [6881, "bittorrent-tracker"], [27015, "unknown"], [27960, "unknown"], [9987, "unknown"],
  [4672, "unknown"], [32768, "unknown"], [32769, "unknown"], [8125, "unknown"], [3456, "vat"],
];

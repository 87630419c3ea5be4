import type { Protocol } from "../events/index.ts";
import { UDP_RANKED } from "./udp-rank.ts";

// prtip's own ranking of TCP ports, most commonly open first, written for this
// project from the IANA service registry and operating experience (it is not
// derived from nmap-services). After the ranked list come the rest of the
// well-known ports (1-1023) in order, then every other port in order, so
// --top-ports N is defined for every N up to 65535.

/** [port, service name] in rank order. Names follow IANA's spelling where one exists. */
const RANKED: readonly (readonly [number, string])[] = [
  [80, "http"], [443, "https"], [22, "ssh"], [21, "ftp"], [25, "smtp"], [23, "telnet"],
  [3389, "ms-wbt-server"], [110, "pop3"], [445, "microsoft-ds"], [139, "netbios-ssn"],
  [143, "imap"], [53, "domain"], [135, "msrpc"], [3306, "mysql"], [8080, "http-alt"],
  [1723, "pptp"], [111, "rpcbind"], [995, "pop3s"], [993, "imaps"], [5900, "vnc"],
  [1025, "nfs-or-iis"], [587, "submission"], [8888, "sun-answerbook"], [199, "smux"],
  [1720, "h323q931"], [465, "smtps"], [548, "afp"], [113, "ident"], [81, "hosts2-ns"],
  [6001, "x11-1"], [10000, "ndmp"], [514, "shell"], [5060, "sip"], [179, "bgp"],
  [1026, "lsa-or-nterm"], [2000, "cisco-sccp"], [8443, "https-alt"], [8000, "http-alt"],
  [32768, "filenet-tms"], [554, "rtsp"], [26, "rsftp"], [1433, "ms-sql-s"], [49152, "unknown"],
  [2001, "dc"], [515, "printer"], [8008, "http"], [49154, "unknown"], [1027, "iis"],
  [5666, "nrpe"], [646, "ldp"], [5000, "upnp"], [5631, "pcanywheredata"], [631, "ipp"],
  [49153, "unknown"], [8081, "blackice-icecap"], [2049, "nfs"], [88, "kerberos-sec"],
  [79, "finger"], [5800, "vnc-http"], [106, "pop3pw"], [2121, "ccproxy-ftp"], [1110, "nfsd-status"],
  [49155, "unknown"], [6000, "x11"], [513, "login"], [990, "ftps"], [5357, "wsdapi"],
  [427, "svrloc"], [49156, "unknown"], [543, "klogin"], [544, "kshell"], [5101, "admdog"],
  [144, "news"], [7, "echo"], [389, "ldap"], [8009, "ajp13"], [3128, "squid-http"],
  [444, "snpp"], [9999, "abyss"], [5009, "airport-admin"], [7070, "realserver"], [5190, "aol"],
  [3000, "ppp"], [5432, "postgresql"], [1900, "upnp"], [3986, "mapper-ws_ethd"], [13, "daytime"],
  [1029, "ms-lsa"], [9, "discard"], [5051, "ida-agent"], [6646, "unknown"], [49157, "unknown"],
  [1028, "unknown"], [873, "rsync"], [1755, "wms"], [2717, "pn-requester"], [4899, "radmin"],
  [9100, "jetdirect"], [119, "nntp"], [37, "time"], [636, "ldapssl"], [6379, "redis"],
  [27017, "mongodb"], [9200, "wap-wsp"], [11211, "memcache"], [5672, "amqp"], [6443, "sun-sr-https"],
  [2375, "docker"], [2376, "docker-s"], [9090, "zeus-admin"], [9000, "cslistener"], [8181, "intermapper"],
  [1521, "oracle"], [1883, "mqtt"], [8883, "secure-mqtt"], [5353, "mdns"], [5984, "couchdb"],
  [9300, "vrace"], [15672, "unknown"], [50000, "ibm-db2"], [3268, "globalcatLDAP"], [3269, "globalcatLDAPssl"],
  [464, "kpasswd5"], [593, "http-rpc-epmap"], [5985, "wsman"], [5986, "wsmans"], [47001, "winrm"],
  [9389, "adws"], [3260, "iscsi"], [2222, "EtherNetIP-1"], [4443, "pharos"], [7001, "afs3-callback"],
  [7002, "afs3-prserver"], [8010, "xmpp"], [8089, "unknown"], [8180, "unknown"], [8200, "trivnet1"],
  [8500, "fmtp"], [8600, "asterix"], [9042, "unknown"], [9092, "XmlIpcRegSvc"], [9418, "git"],
  [10250, "unknown"], [2379, "etcd-client"], [2380, "etcd-server"], [4369, "epmd"], [5044, "lxi-evntsvc"],
  [5601, "esmagent"], [6660, "unknown"], [6665, "irc"], [6666, "irc"], [6667, "irc"], [6668, "irc"],
  [6669, "irc"], [6697, "ircs-u"], [7000, "afs3-fileserver"], [7443, "oracleas-https"], [7777, "cbt"],
  [8001, "vcom-tunnel"], [8002, "teradataordbms"], [8082, "us-cli"], [8083, "us-srv"], [8084, "unknown"],
  [8085, "unknown"], [8086, "d-s-n"], [8087, "simplifymedia"], [8088, "radan-http"], [8090, "opsmessaging"],
  [8091, "jamlink"], [8161, "patrol-snmp"], [8222, "unknown"], [8333, "bitcoin"], [8834, "nessus-xmlrpc"],
  [8880, "cddbp-alt"], [8899, "ospf-lite"], [9001, "tor-orport"], [9002, "dynamid"], [9043, "unknown"],
  [9060, "unknown"], [9080, "glrpc"], [9091, "xmltec-xmlmail"], [9443, "tungsten-https"], [9600, "micromuse-ncpw"],
  [9876, "sd"], [9990, "osm-appsrvr"], [10001, "scp-config"], [10443, "cirrossp"], [11000, "irisa"],
  [12345, "netbus"], [16992, "amt-soap-http"], [16993, "amt-soap-https"], [18080, "unknown"], [20000, "dnp"],
  [25565, "minecraft"], [27018, "mongod"], [28017, "mongod-http"], [31337, "Elite"], [50070, "unknown"],
  [61616, "unknown"], [1080, "socks"], [1194, "openvpn"], [1352, "lotusnotes"], [1434, "ms-sql-m"],
  [1701, "l2tp"], [1812, "radius"], [1813, "radacct"], [2082, "infowave"], [2083, "radsec"],
  [2086, "gnunet"], [2087, "eli"], [2095, "nbx-ser"], [2096, "nbx-dir"], [2181, "eforward"],
  [2483, "ttc"], [2484, "ttc-ssl"], [3001, "nessus"], [3050, "gds_db"], [3283, "netassistant"],
  [3299, "saprouter"], [3333, "dec-notes"], [3690, "svn"], [4000, "remoteanything"], [4040, "yo-main"],
  [4444, "krb524"], [4567, "tram"], [4848, "appserv-http"], [5001, "commplex-link"], [5002, "rfe"],
  [5003, "filemaker"], [5004, "avt-profile-1"], [5005, "avt-profile-2"], [5222, "xmpp-client"], [5223, "hpvirtgrp"],
  [5269, "xmpp-server"], [5280, "xmpp-bosh"], [5405, "pcduo"], [5500, "hotline"], [5555, "freeciv"],
  [5601, "esmagent"], [5632, "pcanywherestat"], [5901, "vnc-1"], [5902, "vnc-2"], [5903, "vnc-3"],
  [6002, "x11-2"], [6080, "unknown"], [6129, "unknown"], [6346, "gnutella"], [6881, "bittorrent-tracker"],
  [7474, "neo4j"], [7547, "cwmp"], [7548, "tidp"], [8005, "mxi"], [8006, "wpl-analytics"],
  [8020, "intu-ec-svcdisc"], [8025, "ca-audit-da"], [8030, "unknown"], [8042, "fs-agent"], [8069, "unknown"],
  [8099, "unknown"], [8100, "xprint-server"], [8140, "puppet"], [8300, "tmi"], [8400, "cvd"],
  [8649, "unknown"], [8800, "sunwebadmin"], [8983, "unknown"], [9009, "pichat"], [9050, "tor-socks"],
  [9100, "jetdirect"], [9160, "apani1"], [9191, "sun-as-jpda"], [9229, "unknown"], [9295, "unknown"],
  [9500, "ismserver"], [9800, "davsrc"], [9998, "distinct32"], [10050, "zabbix-agent"], [10051, "zabbix-trapper"],
  [11371, "pksd"], [13720, "bprd"], [17000, "unknown"], [19999, "dnp-sec"], [20547, "unknown"],
  [27015, "unknown"], [30000, "ndmps"], [32400, "plex"], [33060, "mysqlx"], [37777, "unknown"],
  [44818, "EtherNetIP-2"], [47808, "bacnet"], [49158, "unknown"], [49159, "unknown"], [50030, "unknown"],
  [50075, "unknown"], [55553, "unknown"], [60000, "unknown"], [62078, "iphone-sync"], [64738, "murmur"],
];

const WELL_KNOWN_NAMES: Record<number, string> = {
  1: "tcpmux", 17: "qotd", 19: "chargen", 20: "ftp-data", 42: "nameserver", 43: "whois",
  49: "tacacs", 67: "dhcps", 68: "dhcpc", 69: "tftp", 70: "gopher", 82: "xfer", 102: "iso-tsap",
  109: "pop2", 115: "sftp", 117: "uucp-path", 118: "sqlserv", 123: "ntp", 137: "netbios-ns",
  138: "netbios-dgm", 161: "snmp", 162: "snmptrap", 194: "irc", 220: "imap3", 264: "bgmp",
  318: "pkix-timestamp", 381: "hp-collector", 383: "hp-alarm-mgr", 500: "isakmp", 512: "exec",
  520: "efs", 530: "courier", 540: "uucp", 556: "remotefs", 563: "snews", 591: "http-alt",
  639: "msdp", 666: "doom", 691: "resvc", 860: "iscsi", 902: "iss-realsecure", 989: "ftps-data",
  992: "telnets", 1000: "cadlock",
};

/** The ranked ports, then the rest of 1-1023, then every other port: all 65,535 once. */
function fullOrder(ranked: readonly (readonly [number, string])[]): readonly number[] {
  // Built at every start: a byte per port instead of a 65,535-entry Set keeps it under a millisecond.
  const seen = new Uint8Array(65536);
  const order: number[] = [];
  const add = (p: number) => {
    if (!seen[p]) {
      seen[p] = 1;
      order.push(p);
    }
  };
  for (const [p] of ranked) add(p);
  for (let p = 1; p < 1024; p++) add(p);
  for (let p = 1024; p <= 65535; p++) add(p);
  return order;
}

/** Every TCP port, most common first. */
export const RANKED_PORTS: readonly number[] = fullOrder(RANKED);
let udpOrder: readonly number[] | undefined;
/** Every UDP port, most common first; built on first use, since most scans are TCP only. */
function udpRanked(): readonly number[] {
  return (udpOrder ??= fullOrder(UDP_RANKED));
}

const NAMES = new Map<number, string>(Object.entries(WELL_KNOWN_NAMES).map(([p, n]) => [Number(p), n]));
for (const [p, n] of RANKED) if (!NAMES.has(p)) NAMES.set(p, n);
// UDP names where they differ from TCP's (514 syslog, not shell); other UDP ports take the TCP name.
const UDP_NAMES = new Map<number, string>(UDP_RANKED.map(([p, n]) => [p, n]));

/** The service usually found on a port, or "unknown". */
export function serviceName(port: number, protocol: Protocol = "Tcp"): string {
  return (protocol === "Udp" ? UDP_NAMES.get(port) : undefined) ?? NAMES.get(port) ?? "unknown";
}

/** The `count` most common ports of a protocol, in rank order. */
export function topPorts(count: number, protocol: Protocol = "Tcp"): number[] {
  return (protocol === "Udp" ? udpRanked() : RANKED_PORTS).slice(0, count);
}

/**
 * The ports whose name for `protocol` matches `pattern` (nmap's -p http, -p "http*"):
 * case ignored, `*` any run of characters, `?` one. Sorted; [] when none match.
 */
export function portsNamed(pattern: string, protocol: Protocol): number[] {
  const glob = pattern.toLowerCase().replace(/[.+^${}()|[\]\\-]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const re = new RegExp(`^${glob}$`);
  const candidates = protocol === "Udp" ? new Set([...NAMES.keys(), ...UDP_NAMES.keys()]) : NAMES.keys();
  const out: number[] = [];
  for (const port of candidates) if (re.test(serviceName(port, protocol).toLowerCase())) out.push(port);
  return out.sort((a, b) => a - b);
}

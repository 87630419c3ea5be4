// Help text, nmap's layout. Kept by hand: the nmap-style spellings users type
// (-sS, -oX) are not the long options cac sees after normalisation.

export const VERSION = "0.1.0";

export const HELP = `prtip ${VERSION}: a network scanner that publishes everything it does as events
Usage: prtip [scan options] TARGET...
       prtip log replay|filter|summary|tail|diff FILE... (- is stdin; .gz read transparently)

TARGET SPECIFICATION:
  IPv4/IPv6 addresses, CIDR (198.18.0.0/24), ranges (198.18.0.1-20), hostnames
  (names are looked up first: one that does not resolve is a warning; when none is left
  to scan, the scan is refused, exit 2, before any output file is touched)
  -iL FILE                 read targets from FILE (- for stdin); targets also given are scanned too
  --exclude T1,T2          never scan these (wins over targets; every --exclude counts)
  --excludefile FILE       never scan the targets in FILE (every --excludefile counts)
  -6                       IPv6: names resolve to IPv6, IPv4 targets are skipped
  -4                       IPv4 (the default; accepted for nmap compatibility)
  --shard I/N              scan only shard I of N (no coordination needed)
  --seed N                 repeatable target/port order
  -r                       scan in order: ports ascending, hosts in address order
  --confirm-large-scan     allow more than 2^24 addresses after excludes
HOST DISCOVERY:
  -sL                      list scan: list the targets (excludes applied), send nothing
  -Pn                      treat every host as up: skip discovery
  -sn                      discover hosts only: no port scan, so no -p, -F, --top-ports
  -n                       never resolve names
SCAN TECHNIQUES:
  -sS                      TCP SYN scan (raw packets via libpcap; default with privileges)
  -sT                      TCP connect scan (default without privileges)
  -sU                      UDP scan; with -sS or -sT, TCP and UDP in one scan
PORTS:
  -p 22,80,1-1000 | -p-    ports to scan (-p- is 1-65535)
  -p U:53,111,T:21-25,80   per protocol with -sS/-sT -sU; unprefixed ports go to both
  -p ssh,http,"ms-sql-*"   service names: every port prtip's names table gives the name
  --top-ports N            the N most common ports (of each protocol with -sU)
  -F                       fast: the top 100 ports
SERVICE AND OS DETECTION:
  -sV                      probe open ports for service and version
  --version-intensity N    0 (light) to 9 (all probes)
  -O                       guess the operating system
TIMING AND PERFORMANCE:
  -T0 ... -T5              timing template, default -T3; or by name: -Tparanoid,
                           sneaky, polite, normal, aggressive, insane
  --max-rate N             send no more than N packets per second
  --min-rate N             send at least N packets per second
  --max-retries N          retransmissions of unanswered probes
  --scan-delay TIME        at least TIME between probes (500ms, 1.5s, 2m, 1h; plain: seconds)
  --max-scan-delay TIME    accepted for nmap compatibility; prtip never raises the delay itself
  --host-timeout TIME      give up on hosts not done TIME after the port scan began: no
                           port table, "Skipping host … due to host timeout" (0: no limit)
OUTPUT:
  -oN FILE | -oG FILE | -oX FILE | -oJ FILE   normal, grepable, XML, JSON (- is stdout)
  -oA BASE                 the first three formats at once: BASE.nmap, BASE.gnmap, BASE.xml
  --open                   list only open (or possibly open) ports, and hosts that have some
  --reason                 a REASON column (syn-ack, conn-refused, …) and why each host is up
  -v, -vv                  more detail (-vv shows reasons, as --reason)
  -q                       quiet: results only, no header or summary line
  --no-progress            no progress display
  --progress-style S       compact | detailed | bars
  --eta M                  linear | ewma | multi (default)
  --live                   full-screen dashboard (q quits, p pauses, ? help); needs stdout on a
                           terminal (refused on TERM=dumb, where the status is a plain line every
                           5 s); keys from stdin only when it is one (else Ctrl-C, and it leaves
                           when the scan ends)
EVENT LOG:
  --event-log PATH         write every event as JSON Lines (~ and %Y %m %d %H %M %S expand)
  --event-log-rotation R   never (default) | size | hourly | daily | weekly
  --event-log-max-size N   rotate at N bytes: alone it means size rotation (default 100MB);
                           with hourly/daily/weekly it also cuts a period's file; with never: exit 2
  --event-log-max-files N  keep the newest N files (needs rotation or a time-coded path)
  --event-log-compression  gzip rotated files (needs rotation)
                           rotated names: NAME.N.EXT (size), NAME-YYYY-MM-DD[-HH][.N].EXT (time), + .gz;
                           prtip log reads NAME as that set once NAME itself is gone
MISC:
  --config FILE            config file (default ~/.prtip/config.toml)
  --no-drop-privileges     keep root after opening capture handles
  --debug                  stack traces on errors
  -V, --version            print the version
  -h, --help               print this help

Exit codes: 0 done, 1 runtime failure (disk full, I/O error), 2 usage error (a bad flag,
target, port, or an output file or event log path that cannot be opened), 130 interrupted.
`;

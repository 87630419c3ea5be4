#!/usr/bin/env bash
# The namespaced test lab: a scanner namespace and a target namespace joined
# by veth, target hosts on 198.18.0.0/24 and 2001:db8::/64 only, ground truth
# written as JSON. Nothing here can reach another network: the namespaces have
# no other interface and no default route.
#
#   scripts/lab.sh up NAME [--loss P] [--extra-hosts N]   # prints the truth file path
#   scripts/lab.sh down NAME
#
# NAME must start with prtip-lab-. Truth: ${TMPDIR:-/tmp}/NAME/truth.json
# Real services (sshd, nginx HTTP/TLS, redis, dnsmasq, closed and firewalled UDP)
# are started in the target namespace by test/lab/services.ts, not here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bun="$root/node_modules/.bin/bun"

cmd="${1:-}"; name="${2:-}"
[[ "$name" == prtip-lab-* ]] || { echo "lab.sh: name must start with prtip-lab- (got \"$name\")" >&2; exit 2; }
shift 2
scanner="$name-s"; target="$name-t"; state="${TMPDIR:-/tmp}/$name"

# The lab's fixed plan. Open ports listen on every target address.
OPEN_PORTS=(22 80 443 3306 8080 65535)
HOST_MAIN=198.18.0.10       # open ports, DROP 135 139 445, tcp-reset 113, icmp-port-unreachable 1723
HOST_FIREWALLED=198.18.0.11 # every TCP port dropped
HOST_SECOND=198.18.0.12     # open ports but 80 dropped
HOST_V6=2001:db8::10        # open ports, DROP 135, icmp6-port-unreachable 1723
DROPPED_MAIN=(135 139 445)

down() {
  for ns in "$target" "$scanner"; do
    if ip netns list | grep -qw "^$ns"; then
      # Only the processes we started in our own namespace.
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
  rm -rf "$state"
}

up() {
  local loss=0 extra=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --loss) loss="$2"; shift 2 ;;
      --extra-hosts) extra="$2"; shift 2 ;;
      *) echo "lab.sh: unknown option $1" >&2; exit 2 ;;
    esac
  done
  down
  trap 'down' ERR
  mkdir -p "$state"
  ip netns add "$scanner"
  ip netns add "$target"
  # No duplicate address detection: addresses (link-local too) answer at once.
  for ns in "$scanner" "$target"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
  done
  ip link add s0 netns "$scanner" type veth peer name t0 netns "$target"
  local S=(ip netns exec "$scanner") T=(ip netns exec "$target")
  for ns in "$scanner" "$target"; do ip -n "$ns" link set lo up; done
  ip -n "$scanner" addr add 198.18.0.1/24 dev s0
  ip -n "$scanner" addr add 2001:db8::1/64 dev s0 nodad
  ip -n "$scanner" link set s0 up
  {
    echo "addr add 198.18.0.2/24 dev t0"
    for h in $HOST_MAIN $HOST_FIREWALLED $HOST_SECOND; do echo "addr add $h/32 dev t0"; done
    for i in $(seq 1 "$extra"); do echo "addr add 198.18.0.$((20 + i))/32 dev t0"; done
    echo "addr add $HOST_V6/64 dev t0 nodad"
    echo "link set t0 up"
  } | ip -n "$target" -batch -
  # Answers at line rate: no ICMP rate limiting, no SYN cookies muddying SYN-ACKs.
  "${T[@]}" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 net.ipv4.tcp_syncookies=0 net.ipv4.tcp_max_syn_backlog=65536 net.core.somaxconn=65535
  # Loopback SYN scans inside the scanner namespace (127.0.0.1 through pcap on lo).
  "${S[@]}" sysctl -qw net.ipv4.conf.lo.route_localnet=1 net.ipv4.conf.lo.accept_local=1

  if [ "$loss" != 0 ]; then
    for ipt in iptables ip6tables; do
      "${T[@]}" $ipt -A INPUT -p tcp -m statistic --mode random --probability "$loss" -j DROP
      "${T[@]}" $ipt -A OUTPUT -p tcp -m statistic --mode random --probability "$loss" -j DROP
    done
  fi
  for p in "${DROPPED_MAIN[@]}"; do "${T[@]}" iptables -A INPUT -d $HOST_MAIN -p tcp --dport "$p" -j DROP; done
  "${T[@]}" iptables -A INPUT -d $HOST_MAIN -p tcp --dport 113 -j REJECT --reject-with tcp-reset
  "${T[@]}" iptables -A INPUT -d $HOST_MAIN -p tcp --dport 1723 -j REJECT --reject-with icmp-port-unreachable
  "${T[@]}" iptables -A INPUT -d $HOST_FIREWALLED -p tcp -j DROP
  "${T[@]}" iptables -A INPUT -d $HOST_SECOND -p tcp --dport 80 -j DROP
  "${T[@]}" ip6tables -A INPUT -d $HOST_V6 -p tcp --dport 135 -j DROP
  "${T[@]}" ip6tables -A INPUT -d $HOST_V6 -p tcp --dport 1723 -j REJECT --reject-with icmp6-port-unreachable

  local open_csv; open_csv=$(IFS=,; echo "${OPEN_PORTS[*]}")
  "${T[@]}" "$bun" "$root/test/lab/listeners.ts" "$open_csv" "$state/ready" >"$state/listeners.log" 2>&1 &
  for _ in $(seq 1 100); do [ -s "$state/ready" ] && break; sleep 0.05; done
  [ -s "$state/ready" ] || { echo "lab.sh: listeners did not start: $(cat "$state/listeners.log")" >&2; exit 1; }

  # Wait for carrier on both ends and IPv6 configured on them (the link-local
  # address appears once addrconf saw the carrier); until then NDP goes unanswered.
  local ok=0
  for _ in $(seq 1 100); do
    if [ "$(ip netns exec "$scanner" cat /sys/class/net/s0/operstate)" = up ] &&
       [ "$(ip netns exec "$target" cat /sys/class/net/t0/operstate)" = up ] &&
       ip -n "$scanner" -6 addr show dev s0 scope link | grep -q fe80 &&
       ip -n "$target" -6 addr show dev t0 scope link | grep -q fe80; then ok=1; break; fi
    sleep 0.05
  done
  [ "$ok" = 1 ] || { echo "lab.sh: the lab link did not come up" >&2; exit 1; }

  local target_mac; target_mac=$(ip netns exec "$target" cat /sys/class/net/t0/address)
  write_truth "$loss" "$extra" "$target_mac" >"$state/truth.json"
  trap - ERR
  echo "$state/truth.json"
}

# Ground truth: per host a default verdict for unlisted ports and the exceptions.
write_truth() {
  local loss="$1" extra="$2" mac="$3"
  local open="" p
  for p in "${OPEN_PORTS[@]}"; do open+="\"$p\":{\"state\":\"Open\",\"reason\":\"syn-ack\"},"; done
  local closed='{"state":"Closed","reason":"rst"}'
  local dropped='{"state":"Filtered","reason":"no-response"}'
  local unreach='{"state":"Filtered","reason":"icmp-unreach"}'
  local main_ports="$open" second_ports=""
  for p in "${OPEN_PORTS[@]}"; do
    if [ "$p" = 80 ]; then second_ports+="\"$p\":$dropped,"; else second_ports+="\"$p\":{\"state\":\"Open\",\"reason\":\"syn-ack\"},"; fi
  done
  for p in "${DROPPED_MAIN[@]}"; do main_ports+="\"$p\":$dropped,"; done
  main_ports+="\"113\":$closed,\"1723\":$unreach"
  local hosts="\"$HOST_MAIN\":{\"default\":$closed,\"ports\":{$main_ports}},"
  # 198.18.0.2 is the target end's own address: the listeners answer there too.
  hosts+="\"198.18.0.2\":{\"default\":$closed,\"ports\":{${open%,}}},"
  hosts+="\"$HOST_FIREWALLED\":{\"default\":$dropped,\"ports\":{}},"
  hosts+="\"$HOST_SECOND\":{\"default\":$closed,\"ports\":{${second_ports%,}}},"
  hosts+="\"$HOST_V6\":{\"default\":$closed,\"ports\":{$open\"135\":$dropped,\"1723\":$unreach}}"
  for i in $(seq 1 "$extra"); do hosts+=",\"198.18.0.$((20 + i))\":{\"default\":$closed,\"ports\":{${open%,}}}"; done
  cat <<JSON
{"name":"$name","scannerNs":"$scanner","targetNs":"$target","scannerDevice":"s0","targetMac":"$mac","scanner":{"ipv4":"198.18.0.1","ipv6":"2001:db8::1"},"loss":$loss,"openPorts":[$(IFS=,; echo "${OPEN_PORTS[*]}")],"hosts":{$hosts}}
JSON
}

case "$cmd" in
  up) up "$@" ;;
  down) down ;;
  *) echo "usage: lab.sh up|down prtip-lab-NAME [--loss P] [--extra-hosts N]" >&2; exit 2 ;;
esac

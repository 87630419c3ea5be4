#!/usr/bin/env bash
# prtip's SYN technique vs nmap -T4 vs masscan on the namespaced lab, in one run.
#   scripts/bench-scan.sh [--runs N] [--quick] [--only a,b,c,d,e,f]
# Installs nmap and masscan when missing (Debian packages), then runs
# scripts/bench-scan.ts, which builds/tears down labs with scripts/lab.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
need=()
command -v nmap >/dev/null || need+=(nmap)
command -v masscan >/dev/null || need+=(masscan)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
exec "$root/node_modules/.bin/bun" "$root/scripts/bench-scan.ts" "$@"

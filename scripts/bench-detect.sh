#!/usr/bin/env bash
# Service detection vs `nmap -sV` on the same loopback services (see bench-detect.ts).
# Needs root (nmap -sS/-sU) and the APT packages of .ci/run. ROUNDS=N (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nmap >/dev/null || { echo "nmap is missing: apt-get install -y nmap" >&2; exit 1; }
exec node_modules/.bin/bun scripts/bench-detect.ts "$@"

#!/usr/bin/env bash
# Service detection: dist/prtip -sV vs `nmap -sV` on the namespaced lab's real
# services, in one run (see bench-detect-lab.ts). Needs root, iproute2 and the
# APT packages of .ci/run. ROUNDS=N (default 3).
#   scripts/bench-detect.sh              # the compiled binary in the lab
#   scripts/bench-detect.sh --loopback   # the detection library on 127.0.0.1 (bench-detect.ts)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nmap >/dev/null || { echo "nmap is missing: apt-get install -y nmap" >&2; exit 1; }
if [ "${1:-}" = --loopback ]; then shift; exec node_modules/.bin/bun scripts/bench-detect.ts "$@"; fi
exec node_modules/.bin/bun scripts/bench-detect-lab.ts "$@"

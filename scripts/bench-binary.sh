#!/usr/bin/env bash
# Size and start-up of the Bun binary vs a compiled hello-world and the Deno entry.
# Run: bash scripts/bench-binary.sh   (needs hyperfine and jq: apt-get install hyperfine jq)
# Start-up table: medians of 40 runs after 5 warm-ups, all measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUN=node_modules/.bin/bun
DENO=node_modules/.bin/deno
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm run -s build >/dev/null
echo 'console.log("hello")' > "$work/hello.ts"
$BUN build --compile --minify "$work/hello.ts" --outfile "$work/hello" >/dev/null
$BUN build --minify --target bun src/main.ts --outdir "$work/bundle" >/dev/null

size() { stat -c %s "$1"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
kib() { awk -v b="$1" 'BEGIN { printf "%.0f KiB", b / 1024 }'; }
bin=$(size dist/prtip); hello=$(size "$work/hello"); js=$(du -sb "$work/bundle" | cut -f1)

echo "| artefact | size |"
echo "| --- | --- |"
echo "| dist/prtip | $(mib "$bin") |"
echo "| compiled hello-world (the Bun runtime alone) | $(mib "$hello") |"
echo "| prtip's own bundled JavaScript (all chunks) | $(kib "$js") |"
echo

perms=$($BUN -e 'import { DENO_PERMISSIONS as p } from "./scripts/deno-permissions.ts"; console.log(p.join(" "))')
hyperfine -N --warmup 5 -r 40 --export-json "$work/t.json" \
  -n "prtip --version (Bun binary)" "dist/prtip --version" \
  -n "hello-world (Bun binary)" "$work/hello" \
  -n "prtip --version (Deno entry, deno run $perms)" "$DENO run -q $perms src/main.ts --version" >/dev/null 2>&1
echo "| command | median | min | max | × hello-world |"
echo "| --- | ---: | ---: | ---: | ---: |"
jq -r '(.results[] | select(.command | startswith("hello")) | .median) as $h
  | .results[] | "| \(.command) | \(.median * 1000 | . * 10 | round / 10) ms | \(.min * 1000 | . * 10 | round / 10) ms | \(.max * 1000 | . * 10 | round / 10) ms | \(.median / $h | . * 10 | round / 10) |"' "$work/t.json"

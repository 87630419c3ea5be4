#!/usr/bin/env bash
# Size and start-up of the Bun binary vs a compiled hello-world and the Deno entry.
# Run: bash scripts/bench-binary.sh   (needs hyperfine: apt-get install hyperfine)
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

hyperfine -N --warmup 5 -r 40 --export-markdown "$work/t.md" \
  -n "prtip --version (Bun binary)" "dist/prtip --version" \
  -n "hello-world (Bun binary)" "$work/hello" \
  -n "prtip --version (Deno entry)" "$DENO run -q src/main.ts --version" >/dev/null
cat "$work/t.md"

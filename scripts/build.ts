// npm run build: one self-contained executable, dist/prtip.
// --splitting keeps each subcommand's code (and the Node built-ins it imports:
// net, tls, dgram, zlib, ffi) in its own chunk inside the binary, loaded on first
// use: without it `prtip --version` paid ~35 ms loading them (scripts/bench-binary.sh).
import { $ } from "bun";

await $`mkdir -p dist`;
await $`bun build --compile --minify --splitting --sourcemap=none src/main.ts --outfile dist/prtip`.quiet();
const { size } = Bun.file("dist/prtip");
console.log(`dist/prtip: ${(size / 1024 / 1024).toFixed(1)} MiB`);

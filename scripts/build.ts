// npm run build: one self-contained executable, dist/prtip.
// --splitting keeps each subcommand's code (and the Node built-ins it imports:
// net, tls, dgram, zlib, ffi) in its own chunk inside the binary, loaded on first
// use: without it `prtip --version` paid ~35 ms loading them (scripts/bench-binary.sh).
import { renameSync, rmSync } from "node:fs";
import { $ } from "bun";

await $`mkdir -p dist`;
// Worker entries are listed as entrypoints: a compiled binary holds only what the build names.
// --bytecode: the code is parsed and compiled at build time, not at every start
// (`prtip log filter` started in 30-50 ms without it, 10-20 ms with it; +3 MiB).
// Bun takes bytecode with splitting only for ES modules.
// Built under a name of its own, then renamed over dist/prtip once bun has exited: with two builds
// at once (every e2e test process builds, so two test runs in one checkout), a prtip started
// meanwhile failed now and again with ETXTBSY, dist/prtip being open for writing by a bun build.
const partial = `dist/.prtip-${process.pid}`;
try {
  await $`bun build --compile --minify --splitting --bytecode --format esm --sourcemap=none src/main.ts src/runtime/gzip-thread.ts src/runtime/send-thread.ts src/runtime/tx-kick-thread.ts --outfile ${partial}`.quiet();
  renameSync(partial, "dist/prtip");
} finally {
  rmSync(partial, { force: true });
}
const { size } = Bun.file("dist/prtip");
console.log(`dist/prtip: ${(size / 1024 / 1024).toFixed(1)} MiB`);

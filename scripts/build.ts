// npm run build: one self-contained executable, dist/prtip.
import { $ } from "bun";

await $`mkdir -p dist`;
await $`bun build --compile --minify --sourcemap=none src/main.ts --outfile dist/prtip`;
const { size } = Bun.file("dist/prtip");
console.log(`dist/prtip: ${(size / 1024 / 1024).toFixed(1)} MiB`);

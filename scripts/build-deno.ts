// npm run build:deno: dist/prtip-deno via `deno compile`. deno compile needs a
// `denort` runtime: it downloads one, or uses $DENORT_BIN. Where neither works
// (this build environment reaches only the npm registry) it fails in one line.
import { $ } from "bun";
import { DENO_PERMISSIONS as PERMISSIONS } from "./deno-permissions.ts";


await $`mkdir -p dist`;
const result = await $`node_modules/.bin/deno compile -q ${PERMISSIONS} -o dist/prtip-deno src/main.ts`
  .nothrow()
  .quiet();
if (result.exitCode !== 0) {
  const why = result.stderr.toString();
  const offline = /error sending request|dns error|failed to lookup/.test(why);
  console.error(
    offline
      ? "build:deno: deno compile must download denort and cannot reach it here; set DENORT_BIN=/path/to/denort (same Deno version) and retry"
      : `build:deno: deno compile failed: ${why.trim().split("\n").pop()}`,
  );
  process.exit(1);
}
console.log("dist/prtip-deno built");

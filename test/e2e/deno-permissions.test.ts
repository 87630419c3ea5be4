import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DENO_PERMISSIONS } from "../../scripts/deno-permissions.ts";
import { ROOT } from "./harness.ts";

test("npm run prtip:deno grants exactly the permissions of scripts/deno-permissions.ts", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(pkg.scripts["prtip:deno"]).toBe(`deno run ${DENO_PERMISSIONS.join(" ")} src/main.ts`);
});

test("the Deno permission list never grants everything", () => {
  for (const flag of ["-A", "--allow-all", "--allow-run", "--allow-env", "--allow-sys"]) expect(DENO_PERMISSIONS).not.toContain(flag);
});

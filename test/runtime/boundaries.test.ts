import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dir, "../..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".ts"))
    .map((d) => relative(ROOT, join(d.parentPath, d.name)));
}

/** Code with comments removed, so prose mentioning Bun.* does not count. */
function code(file: string): string {
  return readFileSync(join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

const RUNTIME_AWARE = /^src\/(runtime|cli)\/|^src\/main\.ts$|^ffi\//;

describe("runtime boundaries", () => {
  const files = sources("src");

  test("core modules never reach for Bun, Deno or process globals", () => {
    const offenders = files
      .filter((f) => !RUNTIME_AWARE.test(f))
      .filter((f) => /\b(Bun|Deno)\.|\bprocess\.|from "bun"|from "bun:/.test(code(f)));
    expect(offenders).toEqual([]);
  });

  test("only src/runtime/index.ts imports the Bun and Deno adapters", () => {
    const offenders = files
      .filter((f) => f !== "src/runtime/index.ts")
      .filter((f) => /from "[^"]*runtime\/(bun|deno)(\.ts)?"/.test(code(f)));
    expect(offenders).toEqual([]);
  });

  test("no file outside main.ts ends the process", () => {
    const offenders = files
      .filter((f) => !/^src\/runtime\/(bun|deno)\.ts$/.test(f) && f !== "src/main.ts")
      .filter((f) => /\bprocess\.exit\b|\bDeno\.exit\b/.test(code(f)));
    expect(offenders).toEqual([]);
  });
});

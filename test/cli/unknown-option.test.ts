import { describe, expect, test } from "bun:test";
import { run } from "../../src/cli/index.ts";
import { fakeRuntime } from "../analyze/helpers.ts";

describe("unknown options", () => {
  test("an unknown kebab-case option is named as typed, not by the parser's camelCase key", async () => {
    for (const flag of ["--max-rtt-timeout", "--min-rtt-timeout", "--bogus"]) {
      const rt = fakeRuntime();
      expect(await run([flag, "1s", "127.0.0.1"], rt)).toBe(2);
      expect(rt.err()).toBe(`prtip: unknown option "${flag}": see prtip --help\n`);
    }
  });
});

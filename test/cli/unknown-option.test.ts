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

describe("options named as typed", () => {
  test("a mistyped --no- flag is named as typed, not as the option cac negated", async () => {
    const rt = fakeRuntime();
    expect(await run(["--no-progres", "-sT", "-p", "1", "127.0.0.1"], rt)).toBe(2);
    expect(rt.err()).toBe(`prtip: unknown option "--no-progres": see prtip --help\n`);
  });

  test("prtip log names a mistyped --no- flag as typed", async () => {
    const rt = fakeRuntime();
    expect(await run(["log", "replay", "--no-progres", "x.jsonl"], rt)).toBe(2);
    expect(rt.err()).toBe(`prtip: unknown option "--no-progres": see prtip log --help\n`);
  });

  test("an unknown option given with =value is named without the value", async () => {
    const rt = fakeRuntime();
    expect(await run(["--max-rte=5", "127.0.0.1"], rt)).toBe(2);
    expect(rt.err()).toBe(`prtip: unknown option "--max-rte": see prtip --help\n`);
  });

  test("an option missing its value at the end of the line says so in one plain line", async () => {
    for (const flag of ["--exclude", "--max-rate", "--seed", "--shard", "--config", "--scan-delay"]) {
      const rt = fakeRuntime();
      expect(await run(["-sT", "127.0.0.1", flag], rt)).toBe(2);
      expect(rt.err()).toBe(`prtip: option ${flag} needs a value\n`);
    }
  });
});

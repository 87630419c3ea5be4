// Bad input a user types: one line naming the value, exit 2, nothing created or emptied.
import { describe, expect, test } from "bun:test";
import { parseScanFlags } from "../../src/cli/scan-flags.ts";
import { usageErrorOf } from "../usage-error.ts";

describe("--exclude", () => {
  test("--exclude with an empty item is refused naming the list", () => {
    for (const list of [",", "127.0.0.2,,127.0.0.3", "127.0.0.2,", ",127.0.0.2"]) {
      expect(usageErrorOf(() => parseScanFlags(["--exclude", list, "127.0.0.1"], 0))).toBe(`invalid --exclude list ${JSON.stringify(list)}: empty item`);
    }
  });

  test("--exclude with an octet list (127.0.0.2,3) is still one target", () => {
    expect(parseScanFlags(["--exclude", "127.0.0.2,3", "127.0.0.1"], 0).exclude).toEqual(["127.0.0.2,3"]);
  });
});

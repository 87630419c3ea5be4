import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { systemErrorText } from "../src/errors.ts";

test("a failed file operation reads as strerror's words, not its code", () => {
  const error = (path: string) => {
    try {
      readFileSync(path);
      return null;
    } catch (err) {
      return err;
    }
  };
  expect(systemErrorText(error("/nonexistent/prtip"))).toBe("No such file or directory");
  expect(systemErrorText(error("/"))).toBe("Is a directory");
  expect(systemErrorText("EACCES")).toBe("Permission denied");
  expect(systemErrorText("ENOSPC")).toBe("No space left on device");
});

test("an unlisted code is printed as it is; an error without a code by its message", () => {
  expect(systemErrorText("EWHATEVER")).toBe("EWHATEVER");
  expect(systemErrorText(new Error("disk on fire"))).toBe("disk on fire");
});

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { refusedPathExitCode, systemErrorText } from "../src/errors.ts";

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

test("an output path that cannot be opened is a usage error (2); a full disk or an I/O error is a runtime failure (1)", () => {
  for (const code of ["ENOENT", "EISDIR", "ENOTDIR", "EACCES", "EPERM", "EROFS", "ELOOP", "ENAMETOOLONG"]) expect(refusedPathExitCode(code)).toBe(2);
  for (const code of ["ENOSPC", "EDQUOT", "EIO", "EMFILE", "ENFILE"]) expect(refusedPathExitCode(code)).toBe(1);
  // No code: prtip's own refusal (a file that is not a prtip log).
  expect(refusedPathExitCode(new Error("the file exists and is not a prtip event log"))).toBe(2);
  expect(refusedPathExitCode(Object.assign(new Error("x"), { code: "EISDIR" }))).toBe(2);
});

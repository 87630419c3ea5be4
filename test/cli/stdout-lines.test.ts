import { describe, expect, test } from "bun:test";
import { run } from "../../src/cli/index.ts";
import type { Runtime } from "../../src/runtime/index.ts";
import { oneStreamRuntime } from "./one-stream.ts";

/** A runtime whose stdout and stderr are one terminal, as in a shell: everything lands in one stream. */
function terminal(): { rt: Runtime; screen: () => string } {
  const { rt, text } = oneStreamRuntime(true);
  return { rt, screen: text };
}

/** Each JSON line must start a line of its own: after a newline, or where the status line was erased. */
const GLUED = /(?<!^|\n|\x1b\[2K)\{"event"/;

describe("lines for stdout on a terminal with the status line", () => {
  for (const flag of ["-oJ", "--event-log"]) {
    test(`${flag} - lines are never glued to the status line`, async () => {
      const { rt, screen } = terminal();
      const code = await run(["-sT", "-p", "1-40", "127.0.0.1", flag, "-"], rt);
      expect(code).toBe(0);
      const text = screen();
      expect(text).toContain('{"event":"ScanCompleted"');
      expect(text).toContain("[Stage "); // a status line was drawn (a finished scan erases its last one)
      expect(text).not.toMatch(GLUED);
    });
  }
});

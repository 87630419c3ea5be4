import type { Output, Runtime } from "../../src/runtime/index.ts";

/**
 * An unprivileged runtime whose stdout and stderr are one captured stream, as in
 * a shell where both land on the same screen: a terminal (`tty`) or a pipe.
 */
export function oneStreamRuntime(tty: boolean): { rt: Runtime; text: () => string } {
  const chunks: string[] = [];
  const dec = new TextDecoder();
  const stream: Output = {
    write: (c) => void chunks.push(typeof c === "string" ? c : dec.decode(c)),
    isTTY: tty,
    size: () => (tty ? { columns: 200, rows: 50 } : { columns: 80, rows: 24 }),
  };
  const rt: Runtime = {
    name: "bun",
    version: "test",
    args: () => [],
    // A terminal says what it is, as a shell's does: TERM=dumb or none would mean plain lines.
    env: (name) => (tty && name === "TERM" ? "xterm-256color" : undefined),
    stdout: stream,
    stderr: stream,
    stdin: () => new Blob([]).stream(),
    stdinIsTTY: () => false,
    onSignal: () => () => {},
    setRawMode: () => {},
    euid: () => 1000,
    exit: (code: number): never => {
      throw new Error(`exit ${code}`);
    },
  };
  return { rt, text: () => chunks.join("") };
}

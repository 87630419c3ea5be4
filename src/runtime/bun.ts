import type { Output, Runtime, SignalName } from "./capabilities.ts";

function output(stream: NodeJS.WriteStream): Output {
  let broken = false;
  // The reader went away (`prtip -oJ - ... | head -1`): stop as a Unix tool
  // killed by SIGPIPE does (exit 141) instead of scanning on into the void.
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    broken = true;
    process.exit(141);
  });
  return {
    write: (chunk) => void (broken || stream.write(chunk)),
    get isTTY() {
      return stream.isTTY === true;
    },
    size: () => ({ columns: stream.columns || 80, rows: stream.rows || 24 }),
  };
}

export const bunRuntime: Runtime = {
  name: "bun",
  version: Bun.version,
  args: () => process.argv.slice(2),
  env: (name) => process.env[name],
  stdout: output(process.stdout),
  stderr: output(process.stderr),
  stdin: () => Bun.stdin.stream(),
  onSignal(signal: SignalName, handler: () => void) {
    process.on(signal, handler);
    return () => void process.off(signal, handler);
  },
  setRawMode(on) {
    if (process.stdin.isTTY) process.stdin.setRawMode(on);
  },
  euid: () => (typeof process.geteuid === "function" ? process.geteuid() : -1),
  exit: (code) => process.exit(code),
};

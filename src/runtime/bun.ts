import type { Output, Runtime, SignalName } from "./capabilities.ts";

function output(stream: NodeJS.WriteStream): Output {
  // Bun's writableNeedDrain stays false on a full pipe; write()'s result is what tells.
  let full = false;
  return {
    write: (chunk) => {
      if (!stream.write(chunk)) full = true;
    },
    get isTTY() {
      return stream.isTTY === true;
    },
    size: () => ({ columns: stream.columns || 80, rows: stream.rows || 24 }),
    flush: () =>
      new Promise<void>((resolve) => {
        if (!full) return resolve();
        const done = () => {
          full = false;
          stream.off("drain", done);
          stream.off("close", done);
          stream.off("error", done);
          resolve();
        };
        stream.on("drain", done);
        stream.on("close", done);
        stream.on("error", done);
      }),
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

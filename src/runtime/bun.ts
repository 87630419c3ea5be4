import { writeSync } from "node:fs";
import { threadGzip } from "./bun-gzip.ts";
import type { Output, Runtime, SignalName } from "./capabilities.ts";

const encoder = new TextEncoder();

// node:tty pulls in Node's stream stack (~9 ms of start-up); load it on first use.
function isatty(fd: number): boolean {
  return (require("node:tty") as typeof import("node:tty")).isatty(fd);
}
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Synchronous, complete writes to a file descriptor. Touching process.stdout
 * costs ~12 ms of start-up in a compiled binary (measured with hyperfine), so
 * the descriptors are written directly. A non-blocking descriptor (a parent may
 * have set O_NONBLOCK) answers EAGAIN: wait a moment and go on.
 */
function writeAll(fd: number, chunk: string | Uint8Array): void {
  let bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The reader went away (`prtip -oJ - ... | head -1`): stop as a Unix tool
      // killed by SIGPIPE does, instead of scanning on into the void.
      if (code === "EPIPE") process.exit(141);
      if (code !== "EAGAIN") throw err;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

function output(fd: 1 | 2): Output {
  let tty: boolean | undefined;
  return {
    write: (chunk) => writeAll(fd, chunk),
    get isTTY() {
      return (tty ??= isatty(fd));
    },
    size() {
      const stream = fd === 1 ? process.stdout : process.stderr;
      return { columns: stream.columns || 80, rows: stream.rows || 24 };
    },
    // Writes are synchronous and complete: nothing is ever left to flush.
    flush: () => Promise.resolve(),
  };
}

export const bunRuntime: Runtime = {
  name: "bun",
  version: Bun.version,
  args: () => process.argv.slice(2),
  env: (name) => process.env[name],
  stdout: output(1),
  stderr: output(2),
  stdin: () => Bun.stdin.stream(),
  stdinIsTTY: () => isatty(0),
  onSignal(signal: SignalName, handler: () => void) {
    process.on(signal, handler);
    return () => void process.off(signal, handler);
  },
  setRawMode(on) {
    if (isatty(0)) process.stdin.setRawMode(on);
  },
  euid: () => (typeof process.geteuid === "function" ? process.geteuid() : -1),
  collectGarbage: () => Bun.gc(true),
  gzip: threadGzip(),
  exit: (code) => process.exit(code),
};

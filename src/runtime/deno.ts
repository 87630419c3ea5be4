import type { Output, Runtime, SignalName } from "./capabilities.ts";

// The slice of the Deno namespace prtip uses, typed here so the Bun-typed
// build needs no Deno type package.
interface DenoWriter {
  writeSync(p: Uint8Array): number;
  isTerminal(): boolean;
}
interface DenoNamespace {
  version: { deno: string };
  args: string[];
  env: { get(name: string): string | undefined };
  stdout: DenoWriter;
  stderr: DenoWriter;
  stdin: { readable: ReadableStream<Uint8Array>; isTerminal(): boolean; setRaw(on: boolean): void };
  consoleSize(): { columns: number; rows: number };
  addSignalListener(signal: SignalName, handler: () => void): void;
  removeSignalListener(signal: SignalName, handler: () => void): void;
  uid(): number | null;
  exit(code: number): never;
}

declare const Deno: DenoNamespace;

const encoder = new TextEncoder();

function output(w: DenoWriter): Output {
  return {
    write(chunk) {
      let bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      while (bytes.length > 0) bytes = bytes.subarray(w.writeSync(bytes));
    },
    get isTTY() {
      return w.isTerminal();
    },
    size() {
      try {
        return Deno.consoleSize();
      } catch {
        return { columns: 80, rows: 24 };
      }
    },
  };
}

export function makeDenoRuntime(): Runtime {
  return {
    name: "deno",
    version: Deno.version.deno,
    args: () => Deno.args,
    env: (name) => Deno.env.get(name),
    stdout: output(Deno.stdout),
    stderr: output(Deno.stderr),
    stdin: () => Deno.stdin.readable,
    stdinIsTTY: () => Deno.stdin.isTerminal(),
    onSignal(signal, handler) {
      Deno.addSignalListener(signal, handler);
      return () => Deno.removeSignalListener(signal, handler);
    },
    setRawMode(on) {
      if (Deno.stdin.isTerminal()) Deno.stdin.setRaw(on);
    },
    euid: () => Deno.uid() ?? -1,
    exit: (code) => Deno.exit(code),
  };
}

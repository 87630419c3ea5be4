// Deno.dlopen behind the NativeLoader interface: the only file calling Deno's FFI.
import type { NativeArg, NativeLibrary, NativeLoader, NativeMemory, ParamType, Pointer, ResultType, SymbolSpec } from "./native.ts";

// The slice of Deno's FFI namespace used here, typed locally so the Bun-typed
// build needs no Deno type package. A pointer is an opaque object or null.
declare const denoPointerBrand: unique symbol;
type DenoPointer = { readonly [denoPointerBrand]: true };
type DenoParam = "pointer" | "i32" | "u32" | "usize";
type DenoResult = "pointer" | "i32" | "void";
type DenoValue = number | bigint | DenoPointer | null;
interface DenoPointerView {
  getUint32(offset?: number): number;
  getBigInt64(offset?: number): bigint;
  getPointer(offset?: number): DenoPointer | null;
}
interface DenoFfi {
  dlopen(
    path: string,
    symbols: Record<string, { parameters: DenoParam[]; result: DenoResult }>,
  ): { symbols: Record<string, (...args: DenoValue[]) => DenoValue | undefined>; close(): void };
  UnsafePointer: {
    of(buffer: ArrayBufferView): DenoPointer | null;
    create(address: bigint): DenoPointer | null;
    value(pointer: DenoPointer | null): number | bigint;
  };
  UnsafePointerView: {
    new (pointer: DenoPointer): DenoPointerView;
    getArrayBuffer(pointer: DenoPointer, byteLength: number, offset?: number): ArrayBuffer;
    getCString(pointer: DenoPointer, offset?: number): string;
  };
}

declare const Deno: DenoFfi;

const PARAM: Record<ParamType, DenoParam> = { ptr: "pointer", i32: "i32", u32: "u32", usize: "usize" };
const RESULT: Record<ResultType, DenoResult> = { ptr: "pointer", i32: "i32", void: "void" };

// Pointer (ours) and DenoPointer (Deno's) are the same object; only the brand differs.
const raw = (p: Pointer): DenoPointer => p as unknown as DenoPointer;
const wrap = (p: DenoPointer | null): Pointer | null => p as unknown as Pointer | null;

/**
 * Deno's "pointer" parameters take pointer objects only, so our own buffers
 * are turned into their addresses at the call; the caller keeps them alive
 * through it, as the NativeArg contract says.
 */
function toPointerArg(arg: NativeArg): DenoValue {
  if (arg === null || typeof arg === "number") return arg;
  if (ArrayBuffer.isView(arg)) return Deno.UnsafePointer.of(arg);
  return raw(arg);
}

/** A binding that converts only the pointer positions, so scalars pass untouched. */
function bind(fn: (...args: DenoValue[]) => DenoValue | undefined, spec: SymbolSpec): (...args: NativeArg[]) => unknown {
  const pointerAt = spec.params.map((t) => t === "ptr");
  return (...args) => {
    const native: DenoValue[] = new Array<DenoValue>(args.length);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] ?? null;
      native[i] = pointerAt[i] ? toPointerArg(arg) : (arg as number);
    }
    return fn(...native);
  };
}

const view = (p: Pointer): DenoPointerView => new Deno.UnsafePointerView(raw(p));

const memory: NativeMemory = {
  isNull: (p): p is null => p === null,
  readPointer: (p, offset) => wrap(view(p).getPointer(offset)),
  pointerIn: (slot) => wrap(Deno.UnsafePointer.create(slot[0] ?? 0n)),
  readU32: (p, offset) => view(p).getUint32(offset),
  readI64: (p, offset) => Number(view(p).getBigInt64(offset)),
  addressOf: (buf) => BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buf))),
  view: (p, length) => new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(raw(p), length)),
  cstring: (p) => Deno.UnsafePointerView.getCString(raw(p)),
};

export const denoLoader: NativeLoader = {
  memory,
  open<Fns>(paths: readonly string[], symbols: Record<string, SymbolSpec>): NativeLibrary<Fns> {
    const defs: Record<string, { parameters: DenoParam[]; result: DenoResult }> = {};
    for (const [name, spec] of Object.entries(symbols)) {
      defs[name] = { parameters: spec.params.map((t) => PARAM[t]), result: RESULT[spec.result] };
    }
    const causes: string[] = [];
    for (const path of paths) {
      try {
        const lib = Deno.dlopen(path, defs);
        const fns: Record<string, (...args: NativeArg[]) => unknown> = {};
        for (const [name, spec] of Object.entries(symbols)) {
          const fn = lib.symbols[name];
          if (fn) fns[name] = bind(fn, spec);
        }
        return { path, fns: fns as unknown as Fns, close: () => lib.close() };
      } catch (e) {
        causes.push(`${path}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    throw new Error(causes.join("; "));
  },
};

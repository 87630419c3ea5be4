// bun:ffi behind the NativeLoader interface: the only file importing bun:ffi.
import { CString, dlopen, FFIType, ptr, read, toArrayBuffer } from "bun:ffi";
import type { NativeLibrary, NativeLoader, NativeMemory, ParamType, Pointer, ResultType, SymbolSpec } from "./native.ts";

const PARAM: Record<ParamType, FFIType> = {
  ptr: FFIType.ptr,
  i32: FFIType.i32,
  u32: FFIType.u32,
  usize: FFIType.u64_fast,
};
const RESULT: Record<ResultType, FFIType> = { ptr: FFIType.ptr, i32: FFIType.i32, void: FFIType.void };

type BunPtr = number;
const raw = (p: Pointer): BunPtr => p as unknown as BunPtr;
const wrap = (n: number | bigint | null): Pointer | null =>
  n === null || n === 0 || n === 0n ? null : (Number(n) as unknown as Pointer);

const memory: NativeMemory = {
  isNull: (p): p is null => p === null || (p as unknown as number) === 0,
  readPointer: (p, offset) => wrap(read.ptr(raw(p), offset)),
  pointerIn: (slot) => wrap(slot[0]!),
  readU32: (p, offset) => read.u32(raw(p), offset),
  readI64: (p, offset) => Number(read.i64(raw(p), offset)),
  addressOf: (buf) => BigInt(ptr(buf)),
  view: (p, length) => new Uint8Array(toArrayBuffer(raw(p), 0, length)),
  cstring: (p) => new CString(raw(p) as never).toString(),
};

export const bunLoader: NativeLoader = {
  memory,
  open<Fns>(paths: readonly string[], symbols: Record<string, SymbolSpec>): NativeLibrary<Fns> {
    const defs: Record<string, { args: FFIType[]; returns: FFIType }> = {};
    for (const [name, spec] of Object.entries(symbols)) {
      defs[name] = { args: spec.params.map((t) => PARAM[t]), returns: RESULT[spec.result] };
    }
    const causes: string[] = [];
    for (const path of paths) {
      try {
        const lib = dlopen(path, defs);
        return { path, fns: lib.symbols as unknown as Fns, close: () => lib.close() };
      } catch (e) {
        causes.push(`${path}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    throw new Error(causes.join("; "));
  },
};

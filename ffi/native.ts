// The runtime-neutral face of a native library. `pcap.ts` speaks only this;
// `bun.ts` implements it with bun:ffi, `deno.ts` with Deno.dlopen.

declare const pointerBrand: unique symbol;
/** An address owned by C. Opaque: a number under Bun, a PointerObject under Deno. */
export type Pointer = { readonly [pointerBrand]: true };

export type ParamType = "ptr" | "i32" | "u32" | "usize";
export type ResultType = "ptr" | "i32" | "void";

export interface SymbolSpec {
  readonly params: readonly ParamType[];
  readonly result: ResultType;
}

/** Arguments C accepts: our own buffers (kept alive by the caller for the call) or C's pointers. */
export type NativeArg = number | Pointer | Uint8Array | BigUint64Array | null;

export interface NativeLibrary<Fns> {
  readonly path: string;
  readonly fns: Fns;
  close(): void;
}

/** Reading memory that C owns. Views returned by `view` die with C's next call. */
export interface NativeMemory {
  isNull(p: Pointer | null): p is null;
  /** The pointer stored at `offset` of C memory. */
  readPointer(p: Pointer, offset: number): Pointer | null;
  /** The pointer C wrote into an out-parameter slot of ours (one 64-bit word). */
  pointerIn(slot: BigUint64Array): Pointer | null;
  readU32(p: Pointer, offset: number): number;
  readI64(p: Pointer, offset: number): number;
  /** The address of our own buffer's first byte, to store in structures C reads (the caller keeps the buffer alive). */
  addressOf(buf: Uint8Array | BigUint64Array): bigint;
  /** A zero-copy view; valid only until the library is called again. */
  view(p: Pointer, length: number): Uint8Array;
  cstring(p: Pointer): string;
}

export interface NativeLoader {
  /** Opens the first path that loads; throws with every attempt's cause when none does. */
  open<Fns>(paths: readonly string[], symbols: Record<string, SymbolSpec>): NativeLibrary<Fns>;
  readonly memory: NativeMemory;
}

/** Picks the loader for the runtime we are on. */
export async function nativeLoader(): Promise<NativeLoader> {
  if (typeof (globalThis as { Deno?: unknown }).Deno !== "undefined") return (await import("./deno.ts")).denoLoader;
  return (await import("./bun.ts")).bunLoader;
}

import type { NativeMemory, Pointer } from "./native.ts";

/** The calling thread's errno, read right after the libc call that failed (0 when libc gives no address). */
export function lastErrno(libc: { __errno_location(): Pointer | null }, memory: NativeMemory): number {
  const p = libc.__errno_location();
  return p ? memory.readU32(p, 0) : 0;
}

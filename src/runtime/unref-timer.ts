/** A one-shot timer that does not keep the process alive; returns its cancel. Bun and Node: `unref()`; Deno: `Deno.unrefTimer`. */
export function afterUnref(ms: number, fn: () => void): () => void {
  const handle = setTimeout(fn, ms) as unknown;
  if (typeof handle === "object" && handle !== null) (handle as { unref?: () => void }).unref?.();
  else (globalThis as { Deno?: { unrefTimer(id: number): void } }).Deno?.unrefTimer(handle as number);
  return () => clearTimeout(handle as ReturnType<typeof setTimeout>);
}

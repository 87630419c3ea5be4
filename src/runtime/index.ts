// The one place that knows which runtime runs us.
import type { Runtime } from "./capabilities.ts";

export type * from "./capabilities.ts";
export { systemClock, monotonicClock } from "./capabilities.ts";

export function isDeno(): boolean {
  return typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
}

export async function currentRuntime(): Promise<Runtime> {
  if (isDeno()) return (await import("./deno.ts")).makeDenoRuntime();
  return (await import("./bun.ts")).bunRuntime;
}

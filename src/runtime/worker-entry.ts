/**
 * How Bun names a worker entry file, given its path under src/: from source, the
 * file itself; in a compiled binary (scripts/build.ts lists each worker as an
 * entrypoint) its path under src/, which is the bundle's root there.
 */
export function workerEntry(underSrc: string): string {
  return import.meta.url.startsWith("file:///$bunfs/") ? `./${underSrc}` : new URL(`../${underSrc}`, import.meta.url).href;
}

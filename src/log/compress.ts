import { dirname } from "node:path";
import type { LogFs } from "./log-fs.ts";

/** Compresses `bytes`, which it may take over: callers hand over bytes they no longer need. */
export type Gzip = (bytes: Uint8Array) => Promise<Uint8Array>;

/**
 * The runtime's zlib, asynchronous: the deflate runs on its thread pool, off the
 * event loop. fflate's asynchronous gzip was used first; it starts and ends a
 * Worker per call, which cost the writer's thread ~0.4 s per rotated file
 * (worker start, terminate, blob URL: 40% of its profile) and deflated at
 * ~55 MB/s. Level 1, with 8 MiB output chunks (fewer round trips to the pool):
 * on PortFound logs it compresses 14:1 against level 6's 20:1 for half the CPU,
 * and on a two-core machine the deflate competes with the scan and the writer.
 */
export const zlibGzip: Gzip = async (bytes) => {
  // Loaded on first use: commands that never rotate a log (`prtip log …`) do not pay for it.
  const { gzip } = await import("node:zlib");
  return new Promise((resolve, reject) => gzip(bytes, { level: 1, chunkSize: 8 << 20 }, (err, out) => (err ? reject(err) : resolve(out))));
};

/**
 * Replaces a closed log file by `NAME.gz`. Every step leaves either the plain
 * file or a complete `.gz`: the compressed bytes go to `NAME.gz.tmp` and are
 * fsynced, the rename to `NAME.gz` is made durable by fsyncing the folder, and
 * only then is the plain file removed. A failure removes the temporary file and
 * keeps the plain one.
 */
export async function compressFile(fs: LogFs, path: string, gzip: Gzip): Promise<void> {
  const tmp = path + ".gz.tmp";
  try {
    const compressed = await gzip(await fs.readFile(path));
    await fs.writeFileSynced(tmp, compressed, 0o600);
    await fs.rename(tmp, path + ".gz");
  } catch (err) {
    await fs.unlink(tmp).catch(() => {});
    throw err;
  }
  await fs.fsyncDir(dirname(path));
  await fs.unlink(path);
}

import { dirname } from "node:path";
import type { LogFs } from "./log-fs.ts";

export type Gzip = (bytes: Uint8Array) => Promise<Uint8Array>;

/**
 * fflate's asynchronous gzip: the deflate runs in a worker thread, off the event
 * loop. Level 1: on PortFound logs it compresses 22:1 against level 6's 23:1, at
 * twice the speed (123 vs 65 MB/s measured here), and it has to keep up with the writer.
 * It takes (detaches) the buffer it is given. Loaded on first use: importing
 * fflate costs every command that loads src/log (such as `prtip log`) ~17 ms.
 */
export const fflateGzip: Gzip = async (bytes) => {
  const { gzip } = await import("fflate");
  return new Promise((resolve, reject) => gzip(bytes, { level: 1, consume: true }, (err, out) => (err ? reject(err) : resolve(out))));
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

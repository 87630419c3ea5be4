import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { gunzipSync } from "fflate";

// A log file that compressed rotation already replaced with NAME.gz, read for
// `log tail -f`, which follows files by their plain names.

export const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === "ENOENT";

/** The contents of `path` from `path.gz`; null when neither is left. */
export async function fromGzip(path: string): Promise<Buffer | null> {
  try {
    return Buffer.from(gunzipSync(await readFile(`${path}.gz`)));
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

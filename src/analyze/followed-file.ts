import { Buffer } from "node:buffer";
import { open, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { fromGzip, isMissing } from "./gzipped-away.ts";

/**
 * The file `log tail -f` follows, kept open once it exists. With compression,
 * rotation gzips a finished file and deletes it, often before a 250 ms poll has
 * read its last lines (the log_ended naming the next file): by name the file was
 * gone and the follow waited forever; an open handle still reads it. A file
 * deleted before it was ever opened is read from its `.gz`.
 */
export class FollowedFile {
  #handle: FileHandle | null = null;
  #ino = -1;
  #unzipped: Buffer | null = null;

  constructor(readonly path: string) {}

  /** Its size now (0 while it does not exist). */
  async size(): Promise<number> {
    await this.#open();
    if (this.#handle !== null) return (await this.#handle.stat()).size;
    return this.#unzipped?.length ?? 0;
  }

  /**
   * Up to `max` bytes from `from`, as far as they exist now. `restart`: the file
   * was truncated or replaced by a new one at its path; read it again from 0.
   */
  async read(from: number, max: number): Promise<{ bytes: Buffer; restart: boolean }> {
    const none = { bytes: Buffer.alloc(0), restart: false };
    await this.#open();
    if (this.#handle === null) return this.#unzipped === null ? none : { bytes: this.#unzipped.subarray(from, from + max), restart: false };
    const size = (await this.#handle.stat()).size;
    if (size < from) return { bytes: none.bytes, restart: true };
    if (size === from) return (await this.#replaced()) ? { bytes: none.bytes, restart: true } : none;
    const buf = Buffer.allocUnsafe(Math.min(size - from, max));
    const { bytesRead } = await this.#handle.read(buf, 0, buf.length, from);
    return { bytes: buf.subarray(0, bytesRead), restart: false };
  }

  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
  }

  async #open(): Promise<void> {
    if (this.#handle !== null || this.#unzipped !== null) return;
    try {
      this.#handle = await open(this.path, "r");
      this.#ino = (await this.#handle.stat()).ino;
    } catch (err) {
      if (!isMissing(err)) throw err;
      // Not there yet (rotation names the next file before creating it), or already gzipped.
      this.#unzipped = await fromGzip(this.path);
    }
  }

  /** Another file now has this path: the one held open was replaced (and is read to its end first). */
  async #replaced(): Promise<boolean> {
    try {
      if ((await stat(this.path)).ino === this.#ino) return false;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
    await this.close();
    return true;
  }
}

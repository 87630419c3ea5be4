import type { LogFs } from "./log-fs.ts";

const BLOCK = 64 * 1024;

/**
 * Cuts a torn last line (no newline: the writer was killed mid-write) back to
 * the last complete line, so the next append does not glue onto it.
 * Returns the file's size afterwards and how many bytes were cut.
 */
export async function repairTornTail(fs: LogFs, fd: number): Promise<{ size: number; cut: number }> {
  const size = await fs.size(fd);
  if (size === 0) return { size, cut: 0 };
  const last = new Uint8Array(1);
  await fs.read(fd, last, size - 1);
  if (last[0] === 10) return { size, cut: 0 };
  let end = size;
  let keep = 0;
  const block = new Uint8Array(BLOCK);
  search: while (end > 0) {
    const start = Math.max(0, end - BLOCK);
    const view = block.subarray(0, end - start);
    const n = await fs.read(fd, view, start);
    for (let i = n - 1; i >= 0; i--) {
      if (view[i] === 10) {
        keep = start + i + 1;
        break search;
      }
    }
    end = start;
  }
  await fs.truncate(fd, keep);
  return { size: keep, cut: size - keep };
}

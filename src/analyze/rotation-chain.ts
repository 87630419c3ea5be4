import { Buffer } from "node:buffer";
import { open } from "node:fs/promises";
import { basename, dirname, isAbsolute, join } from "node:path";
import { fromGzip, isMissing } from "./gzipped-away.ts";

/** Enough to hold a log_ended line, which is short: the last line is all that is read. */
const LAST_LINE_BYTES = 64 * 1024;

/** Where a log_ended's `next` names, as `log tail -f` and the reader resolve it: beside the file. */
export function nextPath(current: string, next: string): string {
  return isAbsolute(next) ? next : join(dirname(current), basename(next));
}

/**
 * The files `log tail -f FILE` reads before it follows: FILE, then, while the
 * last of them has ended with a rotation (a log_ended naming the next file), the
 * file it names. A file already gzipped is listed by its `.gz` name. The last
 * entry is the one to follow (by its plain name; it may not exist yet). Without
 * this, tail given a file that had already rotated waited on it forever.
 */
export async function rotationChain(start: string): Promise<string[]> {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let path: string | null = start; path !== null && !seen.has(path); ) {
    seen.add(path);
    const found = await lastLine(path);
    chain.push(found?.name ?? path);
    const next = found === null ? null : rotatedTo(found.line);
    path = next === null ? null : nextPath(path, next);
  }
  return chain;
}

function rotatedTo(line: string): string | null {
  try {
    const e = JSON.parse(line) as { event?: unknown; next?: unknown };
    return e.event === "log_ended" && typeof e.next === "string" ? e.next : null;
  } catch {
    return null;
  }
}

/** The file's last complete line, from the file or its `.gz`; null when neither exists. */
async function lastLine(path: string): Promise<{ name: string; line: string } | null> {
  try {
    return { name: path, line: lastLineOf(await tailBytes(path)) };
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  const unzipped = await fromGzip(path);
  return unzipped === null ? null : { name: `${path}.gz`, line: lastLineOf(unzipped) };
}

async function tailBytes(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const from = Math.max(0, size - LAST_LINE_BYTES);
    const buf = Buffer.alloc(size - from);
    await handle.read(buf, 0, buf.length, from);
    return buf;
  } finally {
    await handle.close();
  }
}

function lastLineOf(buf: Buffer): string {
  const end = buf.lastIndexOf(10);
  if (end < 0) return "";
  return buf.subarray(buf.lastIndexOf(10, end - 1) + 1, end).toString("utf8");
}

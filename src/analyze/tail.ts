import { Buffer } from "node:buffer";
import { open, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join } from "node:path";
import { fileSource } from "../log/index.ts";
import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { LogLine } from "./line.ts";
import type { ByteWriter } from "./output.ts";
import { scanLines } from "./scan-lines.ts";

export interface TailOptions {
  /** How many of the last matching lines to print first. */
  lines: number;
  /** Keep printing lines as they are appended, across rotation. */
  follow: boolean;
  /** The file to follow (the newest of the set); required with follow. */
  followPath?: string;
  keep: (line: LogLine) => boolean;
  /** Waits between polls of the followed file. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  pollMs?: number;
  signal?: AbortSignal;
}

/** The last `n` matching lines of the sources, in order (a ring of copies: memory is n lines). */
async function lastLines(sources: readonly ByteSource[], n: number, keep: (l: LogLine) => boolean, anomalies: Anomalies) {
  const ring: Uint8Array[] = [];
  let next = 0;
  if (n === 0) return ring;
  await scanLines(sources, anomalies, (line) => {
    if (!keep(line)) return;
    const copy = Uint8Array.from(line.bytes());
    if (ring.length < n) ring.push(copy);
    else ring[next] = copy;
    next = (next + 1) % n;
  });
  return ring.length < n ? ring : [...ring.slice(next), ...ring.slice(0, next)];
}

/**
 * `tail [-f]`: the last lines, then (with follow) every complete line appended
 * to the followed file. A `log_ended` line naming a `next` file moves the
 * follow to that file (relative names are beside the current one); a file
 * that shrinks was replaced and is read again from its start.
 */
export async function tail(sources: readonly ByteSource[], options: TailOptions, out: ByteWriter, anomalies: Anomalies): Promise<void> {
  const following = options.follow && options.followPath !== undefined;
  let path = options.followPath ?? "";
  // The followed file is read up to its size now; following starts there, so a
  // line written meanwhile is printed once, not lost or doubled.
  let offset = following ? await sizeOf(path) : 0;
  const first = following ? sources.map((s) => (s.name === path ? fileSource(path, offset) : s)) : sources;
  for (const l of await lastLines(first, options.lines, options.keep, anomalies)) {
    await out.write(l);
    await out.write("\n");
  }
  if (!following) return;
  let carry = Buffer.alloc(0);
  const line = new LogLine();
  const pollMs = options.pollMs ?? 250;
  const signal = options.signal;
  while (!signal?.aborted) {
    const size = await sizeOf(path);
    if (size < offset) offset = 0;
    if (size <= offset) {
      await options.sleep(pollMs, signal);
      continue;
    }
    const fresh = await readRange(path, offset, Math.min(size, offset + (1 << 20)));
    offset += fresh.length;
    const buf = carry.length === 0 ? fresh : Buffer.concat([carry, fresh]);
    let pos = 0;
    let next: string | null = null;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const end = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
      if (end > pos) {
        line.reset(buf, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), pos, end);
        if (line.name === null) anomalies.malformed(path, 0, "malformed line skipped (while following)");
        else if (line.name === "log_ended" && typeof line.field("next") === "string") next = line.field("next") as string;
        else if (options.keep(line)) {
          await out.write(Uint8Array.from(buf.subarray(pos, end)));
          await out.write("\n");
        }
      }
      pos = nl + 1;
    }
    carry = Buffer.from(buf.subarray(pos));
    if (next !== null) {
      path = isAbsolute(next) ? next : join(dirname(path), basename(next));
      offset = 0;
      carry = Buffer.alloc(0);
    }
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // not there yet: rotation announces the next file before creating it
  }
}

async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(to - from);
    const { bytesRead } = await handle.read(buf, 0, buf.length, from);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

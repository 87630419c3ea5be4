import { Buffer } from "node:buffer";
import { fileSource } from "../log/index.ts";
import type { ByteSource } from "../log/index.ts";
import type { Anomalies } from "./anomalies.ts";
import { FollowedFile } from "./followed-file.ts";
import { nextPath, rotationChain } from "./rotation-chain.ts";
import type { FilterSpec } from "./filter-spec.ts";
import { LogLine } from "./line.ts";
import type { ByteWriter } from "./output.ts";
import { scanLines } from "./scan-lines.ts";
import { lastLinesFromEnd as fromEnd } from "./tail-from-end.ts";

export interface TailOptions {
  /** How many of the last matching lines to print first. */
  lines: number;
  /** Keep printing lines as they are appended, across rotation. */
  follow: boolean;
  /** The file to follow (the newest of the set); required with follow. */
  followPath?: string;
  keep: (line: LogLine) => boolean;
  /**
   * Read from the end: files are taken newest first and only as far back as the
   * last `lines` need, a plain file in blocks from its end (tail-from-end.ts).
   * For `keep` that takes most lines (no selector); a selective one reads
   * forwards, where the prefilters make a whole file fast.
   */
  fromEnd?: boolean;
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
 * Whether tail may read from the end (TailOptions.fromEnd): without a selector
 * (every event line is kept), and not under --strict, which promises every
 * line was checked.
 */
export function readsFromEnd(spec: FilterSpec, strict: boolean): boolean {
  return !strict && Object.values(spec).every((v) => v === undefined);
}

/** A source to take the last lines of, with the file and byte limit behind it when it is a file. */
interface Input {
  source: ByteSource;
  limit: number;
}

/** The last `n` lines of the inputs, newest input first and only as far back as needed. */
async function lastLinesNewestFirst(inputs: readonly Input[], n: number, keep: (l: LogLine) => boolean, anomalies: Anomalies): Promise<Uint8Array[]> {
  const parts: Uint8Array[][] = [];
  let need = n;
  for (let i = inputs.length - 1; i >= 0 && need > 0; i--) {
    const { source, limit } = inputs[i]!;
    const got = (source.name === "-" ? null : fromEnd(source.name, limit, need, keep, anomalies)) ?? (await lastLines([source], need, keep, anomalies));
    parts.unshift(got);
    need -= got.length;
  }
  return parts.flat();
}

/**
 * `tail [-f]`: the last lines, then (with follow) every complete line appended
 * to the followed file. A `log_ended` line naming a `next` file moves the
 * follow to that file (relative names are beside the current one), also when
 * the given file had rotated before tail started; a file that shrinks, or
 * that a new file replaced, is read again from its start.
 */
export async function tail(sources: readonly ByteSource[], options: TailOptions, out: ByteWriter, anomalies: Anomalies): Promise<void> {
  const following = options.follow && options.followPath !== undefined;
  // The given file may have rotated already: follow the file its rotation led to, after reading the ones between.
  const chain = following ? await rotationChain(options.followPath!) : [];
  let file = new FollowedFile(chain.length > 0 ? chain[chain.length - 1]!.replace(/\.gz$/, "") : "");
  try {
    // The followed file is read up to its size now; following starts there, so a
    // line written meanwhile is printed once, not lost or doubled.
    let offset = following ? await file.size() : 0;
    const first: Input[] = following
      ? [
          ...sources.filter((s) => s.name !== options.followPath && s.name !== `${options.followPath}.gz`).map((source) => ({ source, limit: Infinity })),
          ...chain.map((p) => (p === file.path ? { source: fileSource(p, offset), limit: offset } : { source: fileSource(p), limit: Infinity })),
        ]
      : sources.map((source) => ({ source, limit: Infinity }));
    const last = options.fromEnd
      ? await lastLinesNewestFirst(first, options.lines, options.keep, anomalies)
      : await lastLines(first.map((i) => i.source), options.lines, options.keep, anomalies);
    for (const l of last) {
      await out.write(l);
      await out.write("\n");
    }
    if (!following) return;
    let carry = Buffer.alloc(0);
    const line = new LogLine();
    const pollMs = options.pollMs ?? 250;
    const signal = options.signal;
    while (!signal?.aborted) {
      const { bytes: fresh, restart } = await file.read(offset, 1 << 20);
      if (restart) {
        offset = 0;
        carry = Buffer.alloc(0);
        continue;
      }
      if (fresh.length === 0) {
        await options.sleep(pollMs, signal);
        continue;
      }
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
          if (line.name === null) anomalies.malformed(file.path, 0, "malformed line skipped (while following)");
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
        await file.close();
        file = new FollowedFile(nextPath(file.path, next));
        offset = 0;
        carry = Buffer.alloc(0);
      }
    }
  } finally {
    await file.close();
  }
}

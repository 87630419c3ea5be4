import { Buffer } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";

/** Where log bytes come from: a file, stdin, or any byte stream. */
export interface ByteSource {
  /** A file path, or "-" for stdin; named in every report about this source. */
  readonly name: string;
  chunks(): AsyncIterable<Uint8Array>;
  /** Set on a file left unread (another holds the same log): the reader reports this instead of reading. */
  readonly skipped?: string;
}

/** Something wrong with the input that was skipped, not fatal. */
export interface ReadIssue {
  readonly kind: "malformed" | "torn-line" | "damaged-gzip" | "unreadable" | "line-too-long" | "duplicate" | "not-a-log";
  readonly source: string;
  /** 1-based line number, when the issue is one line. */
  readonly line?: number;
  readonly message: string;
}

export type IssueSink = (issue: ReadIssue) => void;

const CHUNK = 1 << 20;

/**
 * A plain or gzipped file (its first `limit` bytes), read in 1 MiB chunks into two buffers taken in
 * turn: a chunk stays intact until the one after the next is read (fresh
 * buffers cost a page fault per 4 KiB, a tenth of the whole read). Reads are
 * synchronous: from the page cache a 1 MiB read takes a fraction of a
 * millisecond, and the promise-based read cost more than the copy itself.
 */
export function fileSource(path: string, limit = Infinity): ByteSource {
  return {
    name: path,
    async *chunks() {
      const fd = openSync(path, "r");
      const pool = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
      let turn = 0;
      let left = limit;
      try {
        while (left > 0) {
          const buf = pool[turn++ & 1]!;
          const bytesRead = readSync(fd, buf, 0, Math.min(CHUNK, left), null);
          if (bytesRead === 0) return;
          left -= bytesRead;
          yield bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead);
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** stdin or any other byte stream; readable once. */
export function streamSource(name: string, stream: AsyncIterable<Uint8Array>): ByteSource {
  return { name, chunks: () => stream };
}

function isGzip(chunk: Uint8Array): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/**
 * The source's bytes, gunzipped when they start with the gzip magic (every
 * member of a multi-member file). A damaged gzip ends the stream after the last
 * byte inflated before the damage, with a "damaged-gzip" issue.
 */
export async function* decodedChunks(source: ByteSource, onIssue: IssueSink): AsyncGenerator<Uint8Array> {
  const it = source.chunks()[Symbol.asyncIterator]();
  // Closed however the consumer leaves (a --strict stop, a head read): the file closes with it.
  try {
    const first = await it.next();
    if (first.done) return;
    const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => it };
    if (!isGzip(first.value)) {
      yield first.value;
      yield* rest;
      return;
    }
    // zlib may still hold an input chunk after write() returns: give it copies.
    const copies: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        for await (const chunk of rest) yield chunk.slice();
      },
    };
    yield* gunzipChunks(source.name, first.value.slice(), copies, onIssue);
  } finally {
    await it.return?.();
  }
}

/** Pull-driven gunzip: inflated output is queued and the inflater paused while it is unread. */
async function* gunzipChunks(
  name: string,
  head: Uint8Array,
  rest: AsyncIterable<Uint8Array>,
  onIssue: IssueSink,
): AsyncGenerator<Uint8Array> {
  // Loaded here, not at the top: node:zlib costs 7-20 ms to load, and most logs are plain.
  const { createGunzip } = await import("node:zlib");
  const gz = createGunzip({ chunkSize: 256 * 1024 });
  const queue: Uint8Array[] = [];
  let failure: Error | null = null;
  let ended = false;
  let closed = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  gz.on("data", (chunk: Uint8Array) => {
    queue.push(chunk);
    if (queue.length >= 4) gz.pause();
    notify();
  });
  gz.on("error", (err: Error) => {
    failure = err;
    notify();
  });
  gz.on("end", () => {
    ended = true;
    notify();
  });

  const pump = (async () => {
    const feed = async (chunk: Uint8Array) => {
      if (gz.write(chunk) || failure !== null) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          gz.off("drain", done);
          gz.off("error", done);
          gz.off("close", done);
          resolve();
        };
        gz.on("drain", done);
        gz.on("error", done);
        gz.on("close", done);
      });
    };
    try {
      await feed(head);
      for await (const chunk of rest) {
        if (failure !== null || closed) return;
        await feed(chunk);
      }
      if (failure === null && !closed) gz.end();
    } catch (err) {
      failure ??= err as Error;
      notify();
    }
  })();

  try {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        if (queue.length < 2 && gz.isPaused()) gz.resume();
        yield next;
        continue;
      }
      if (failure !== null || ended) break;
      if (gz.isPaused()) gz.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    closed = true;
    if (!ended) gz.destroy();
    await pump.catch(() => {});
  }
  if (failure !== null) {
    onIssue({
      kind: "damaged-gzip",
      source: name,
      message: `${name}: gzip data damaged or cut short (${(failure as Error).message}); lines before the damage were read`,
    });
  }
}

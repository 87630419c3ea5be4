import type { IssueSink } from "./reader-source.ts";

/**
 * Consecutive complete lines of one source. Line i is `buf[bounds[2i], bounds[2i+1])`,
 * without its "\n" (nor a "\r" before it); its number is `firstLine + i`.
 * `buf` may be reused by the reader once the batch after next is asked for:
 * copy what you keep.
 */
export interface LineBatch {
  readonly source: string;
  readonly buf: Uint8Array;
  readonly bounds: Int32Array;
  readonly count: number;
  readonly firstLine: number;
}

const NL = 10;
const CR = 13;
/** A longer line is not a log line; it is skipped so memory stays bounded. */
export const MAX_LINE = 16 << 20;

function endOf(buf: Uint8Array, start: number, nl: number): number {
  return nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
}

/**
 * Splits a byte stream into batches of lines, one batch per chunk. A line split
 * across chunks is joined and handed on as a batch of its own. Bytes after the
 * last newline are a torn line: reported, never emitted.
 */
export async function* splitLines(
  source: string,
  chunks: AsyncIterable<Uint8Array>,
  onIssue: IssueSink,
): AsyncGenerator<LineBatch> {
  let carry: Uint8Array[] = [];
  let carryLength = 0;
  let overlong = false;
  let lineNo = 1;
  let bounds = new Int32Array(1024);

  for await (const bytes of chunks) {
    // Uint8Array's own indexOf (a JSC intrinsic) finds a newline faster than Buffer's.
    const chunk = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    if (carryLength > 0 || overlong) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        if (!overlong) {
          carry.push(chunk.slice());
          carryLength += chunk.length;
          if (carryLength > MAX_LINE) {
            overlong = true;
            carry = [];
            carryLength = 0;
          }
        }
        continue;
      }
      if (overlong) {
        onIssue({ kind: "line-too-long", source, line: lineNo, message: `line longer than ${MAX_LINE} bytes` });
        overlong = false;
        lineNo++;
      } else {
        const joined = new Uint8Array(carryLength + nl);
        let at = 0;
        for (const part of carry) {
          joined.set(part, at);
          at += part.length;
        }
        joined.set(chunk.subarray(0, nl), at);
        yield { source, buf: joined, bounds: Int32Array.of(0, endOf(joined, 0, joined.length)), count: 1, firstLine: lineNo };
        lineNo++;
      }
      carry = [];
      carryLength = 0;
      pos = nl + 1;
    }

    let count = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, pos);
      if (nl < 0) break;
      if (2 * count + 2 > bounds.length) {
        const grown = new Int32Array(bounds.length * 2);
        grown.set(bounds);
        bounds = grown;
      }
      bounds[2 * count] = pos;
      bounds[2 * count + 1] = endOf(chunk, pos, nl);
      count++;
      pos = nl + 1;
    }
    if (count > 0) {
      yield { source, buf: chunk, bounds: bounds.slice(0, 2 * count), count, firstLine: lineNo };
      lineNo += count;
    }
    if (pos < chunk.length) {
      carry.push(chunk.slice(pos));
      carryLength += chunk.length - pos;
    }
  }
  if (carryLength > 0 || overlong) {
    onIssue({ kind: "torn-line", source, line: lineNo, message: "last line has no newline (torn write); not used" });
  }
}

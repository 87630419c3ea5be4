// Short strings read from line bytes (hosts, states, codes) repeat line after
// line: decoding each anew allocates a string per field per line, which costs
// time and, through the garbage it leaves, memory. The interner hands back the
// string made the first time for the same bytes.

const MAX_LENGTH = 64;
const MAX_ENTRIES = 1 << 16;
const decoder = new TextDecoder();

interface Entry {
  readonly bytes: Uint8Array;
  readonly text: string;
}

export class Interner {
  private table = new Map<number, Entry | Entry[]>();
  private size = 0;

  /** The text of UTF-8 bytes [from, to) of `raw`. */
  text(raw: Uint8Array, from: number, to: number): string {
    const n = to - from;
    if (n > MAX_LENGTH) return decoder.decode(raw.subarray(from, to));
    let h = n;
    for (let i = from; i < to; i++) h = (Math.imul(h, 31) + raw[i]!) | 0;
    const found = this.table.get(h);
    if (found !== undefined) {
      if (!Array.isArray(found)) {
        if (same(found.bytes, raw, from, n)) return found.text;
      } else {
        for (const e of found) if (same(e.bytes, raw, from, n)) return e.text;
      }
    }
    if (this.size >= MAX_ENTRIES) {
      this.table = new Map();
      this.size = 0;
    }
    const entry: Entry = { bytes: raw.slice(from, to), text: decoder.decode(raw.subarray(from, to)) };
    const now = this.table.get(h);
    if (now === undefined) this.table.set(h, entry);
    else if (Array.isArray(now)) now.push(entry);
    else this.table.set(h, [now, entry]);
    this.size++;
    return entry.text;
  }
}

function same(bytes: Uint8Array, raw: Uint8Array, from: number, n: number): boolean {
  if (bytes.length !== n) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== raw[from + i]) return false;
  return true;
}

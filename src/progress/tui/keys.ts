export type Key =
  | "q"
  | "p"
  | "help"
  | "up"
  | "down"
  | "pageup"
  | "pagedown"
  | "home"
  | "end"
  | "interrupt"
  | "escape";

const SEQUENCES: Record<string, Key> = {
  "\x1b[A": "up",
  "\x1bOA": "up",
  "\x1b[B": "down",
  "\x1bOB": "down",
  "\x1b[5~": "pageup",
  "\x1b[6~": "pagedown",
  "\x1b[H": "home",
  "\x1bOH": "home",
  "\x1b[1~": "home",
  "\x1b[7~": "home",
  "\x1b[F": "end",
  "\x1bOF": "end",
  "\x1b[4~": "end",
  "\x1b[8~": "end",
};

const SINGLE: Record<string, Key> = {
  q: "q",
  Q: "q",
  p: "p",
  P: "p",
  " ": "p",
  "?": "help",
  h: "help",
  k: "up",
  j: "down",
  g: "home",
  G: "end",
  "\x03": "interrupt",
};

/**
 * Bytes from a raw-mode terminal to key names. An escape sequence may arrive
 * split across reads; the unfinished part waits for the next chunk. Unknown
 * sequences and keys are dropped.
 */
export class KeyDecoder {
  private pending = "";
  private readonly text = new TextDecoder();

  push(chunk: Uint8Array | string): Key[] {
    const data = this.pending + (typeof chunk === "string" ? chunk : this.text.decode(chunk, { stream: true }));
    this.pending = "";
    const keys: Key[] = [];
    let i = 0;
    while (i < data.length) {
      const c = data[i]!;
      if (c !== "\x1b") {
        const k = SINGLE[c];
        if (k !== undefined) keys.push(k);
        i++;
        continue;
      }
      const rest = data.slice(i);
      const seq = sequenceAt(rest);
      if (seq === "incomplete") {
        this.pending = rest;
        break;
      }
      if (seq === null) {
        // A lone Escape key, or a sequence this dashboard does not use.
        const skip = unknownLength(rest);
        if (skip === 1) keys.push("escape");
        i += skip;
        continue;
      }
      keys.push(SEQUENCES[seq]!);
      i += seq.length;
    }
    return keys;
  }
}

function sequenceAt(s: string): string | "incomplete" | null {
  if (s.length === 1) return "incomplete";
  const second = s[1]!;
  if (second !== "[" && second !== "O") return null;
  if (second === "O") {
    if (s.length < 3) return "incomplete";
    const seq = s.slice(0, 3);
    return seq in SEQUENCES ? seq : null;
  }
  // CSI: parameters then one final byte in @..~
  for (let j = 2; j < s.length; j++) {
    const code = s.charCodeAt(j);
    if (code >= 0x40 && code <= 0x7e) {
      const seq = s.slice(0, j + 1);
      return seq in SEQUENCES ? seq : null;
    }
  }
  return s.length > 16 ? null : "incomplete";
}

function unknownLength(s: string): number {
  const second = s[1];
  if (second === "O") return Math.min(3, s.length);
  if (second !== "[") return 1;
  for (let j = 2; j < s.length; j++) {
    const code = s.charCodeAt(j);
    if (code >= 0x40 && code <= 0x7e) return j + 1;
  }
  return s.length;
}

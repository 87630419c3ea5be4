// Terminal columns of text: SGR escapes take none, East Asian wide characters two.

const ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]/y;

export function charWidth(code: number): number {
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if (code >= 0x300 && code <= 0x36f) return 0; // combining marks
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function textWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 0x1b) {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(text);
      if (m) {
        i += m[0].length;
        continue;
      }
    }
    const code = text.codePointAt(i)!;
    w += charWidth(code);
    i += code > 0xffff ? 2 : 1;
  }
  return w;
}

/** At most `width` columns of `text`, escapes kept; `pad` fills the rest with spaces. */
export function fitWidth(text: string, width: number, pad = false): string {
  let out = "";
  let w = 0;
  let styled = false;
  let cut = false;
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 0x1b) {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(text);
      if (m) {
        out += m[0];
        styled = m[0] !== "\x1b[0m";
        i += m[0].length;
        continue;
      }
    }
    const code = text.codePointAt(i)!;
    const cw = charWidth(code);
    if (w + cw > width) {
      cut = true;
      break;
    }
    out += String.fromCodePoint(code);
    w += cw;
    i += code > 0xffff ? 2 : 1;
  }
  if (cut && styled) out += "\x1b[0m";
  return pad && w < width ? out + " ".repeat(width - w) : out;
}

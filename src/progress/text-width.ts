// Terminal columns of text: SGR escapes take none, East Asian wide characters two.

const ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]/y;

/** Anything that is not one column per UTF-16 unit: controls and escapes, combining marks, wide characters, surrogates. */
const NOT_NARROW =
  /[\u0000-\u001f\u007f-\u009f\u0300-\u036f\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\ud800-\udfff]/;

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
  if (!NOT_NARROW.test(text)) return text.length;
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
  if (!NOT_NARROW.test(text)) {
    // The common case, one column per unit: slice and pad without walking the text.
    if (text.length >= width) return text.length === width ? text : text.slice(0, width);
    return pad ? text + " ".repeat(width - text.length) : text;
  }
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

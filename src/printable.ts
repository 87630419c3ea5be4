// Text that came from the network or from a log file, made safe to print on a
// terminal: a control character (C0, DEL, C1) could move the cursor, retitle the
// window or clear the screen, so each comes out as \xNN instead.

const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0"));
}

// The few escape sequences the dashboard needs (xterm/VT100, understood by every
// terminal and by tmux). Why not a library: measured on Bun 1.4.4 with
// `bun build --compile` (see the progress report), blessed, neo-blessed and
// terminal-kit compile but die at start-up in the binary (they require widget
// and terminfo files by computed paths), ink does not bundle (react-devtools-core)
// and with it external dies at start-up, and log-update only redraws one region
// through the runtime's stdout. This layer is ~40 lines and needs no runtime.

export const ESC = "\x1b[";

export const enterAltScreen = "\x1b[?1049h";
export const leaveAltScreen = "\x1b[?1049l";
export const hideCursor = "\x1b[?25l";
export const showCursor = "\x1b[?25h";
export const clearScreen = "\x1b[2J";
export const resetStyle = "\x1b[0m";
/** Terminals wrap at the last column; the dashboard writes full-width lines, so it must not. */
export const noAutoWrap = "\x1b[?7l";
export const autoWrap = "\x1b[?7h";

/** 1-based row and column, as the terminal counts. */
export function moveTo(row: number, column = 1): string {
  return `${ESC}${row};${column}H`;
}

export type Tone = "bold" | "dim" | "inverse" | "red" | "green" | "yellow" | "cyan";

const SGR: Record<Tone, string> = {
  bold: "1",
  dim: "2",
  inverse: "7",
  red: "31",
  green: "32",
  yellow: "33",
  cyan: "36",
};

/** `text` in a style, or plain when colour is off (NO_COLOR, or not wanted). */
export function tone(text: string, t: Tone, colour: boolean): string {
  return colour ? `${ESC}${SGR[t]}m${text}${resetStyle}` : text;
}

/** Everything needed to give the terminal back as it was, in one write. */
export const restoreSequence = resetStyle + autoWrap + showCursor + leaveAltScreen;
export const enterSequence = enterAltScreen + hideCursor + noAutoWrap + clearScreen;

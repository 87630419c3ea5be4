import type { Output } from "../../runtime/capabilities.ts";

/**
 * Takes over `out.write` (the process's stderr) and hands each whole line to
 * `onLine`; `passThrough` also writes it as before. Why a tap and not a
 * parameter: prtip's warnings reach stderr from many places (the event log,
 * the SYN setup, the option checks), and while the dashboard owns the screen
 * none of them may write over it. Returns the function that gives `write`
 * back (a partial last line is handed over then).
 */
export function tapLines(out: Output, onLine: (line: string) => void, passThrough: boolean): () => void {
  const own = Object.prototype.hasOwnProperty.call(out, "write");
  const original = out.write;
  const decoder = new TextDecoder();
  let partial = "";
  out.write = (chunk) => {
    if (passThrough) original.call(out, chunk);
    partial += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let nl = partial.indexOf("\n");
    while (nl >= 0) {
      onLine(partial.slice(0, nl + 1));
      partial = partial.slice(nl + 1);
      nl = partial.indexOf("\n");
    }
  };
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (own) out.write = original;
    else delete (out as { write?: unknown }).write;
    if (partial !== "") onLine(partial);
    partial = "";
  };
}

/** The message of a line prtip wrote to stderr: "prtip: warning: x" and "prtip: x" are "x". */
export function stderrMessage(line: string): string {
  return line.replace(/\n$/, "").replace(/^prtip: (?:warning: )?/, "");
}

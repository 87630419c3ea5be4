// smol-toml gives positions only for syntax errors; an unknown key or a wrong
// type is found in the parsed tables, so its line is looked up in the text.

const HEADER = /^\s*\[\s*("?)([A-Za-z0-9_-]+)\1\s*\]/;
const KEY = /^\s*("?)([A-Za-z0-9_-]+)\1\s*(?:\.\s*("?)([A-Za-z0-9_-]+)\3\s*)?=/;

/**
 * 1-based line of `key` in table `section` (null: the table header `[key]` or a
 * top-level `key = …`, also `key.sub = …`). Falls back to the table's header, then line 1.
 */
export function configKeyLine(text: string, section: string | null, key: string): number {
  const lines = text.split(/\r?\n/);
  let table: string | null = null;
  let headerLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = HEADER.exec(line);
    if (h) {
      table = h[2]!;
      if (section === null && table === key) return i + 1;
      if (table === section && headerLine === 0) headerLine = i + 1;
      continue;
    }
    const k = KEY.exec(line);
    if (!k) continue;
    const [first, second] = [k[2]!, k[4]];
    if (section === null && table === null && first === key) return i + 1;
    if (table === section && first === key) return i + 1;
    // Dotted keys at the top: `logging.event_log = "…"`.
    if (table === null && first === section && second === key) return i + 1;
  }
  return headerLine || 1;
}

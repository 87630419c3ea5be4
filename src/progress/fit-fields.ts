import { textWidth } from "./text-width.ts";

/**
 * One piece of a status line. `keep` ranks it: when the line is too wide, every
 * piece of the lowest rank goes at once, so a number is never cut and pieces
 * that only make sense together (a stage tag and its percent) leave together.
 */
export interface Field {
  text: string;
  keep: number;
  /** What joins it to the kept piece before it; nothing when it comes first. */
  before?: string;
}

function join(fields: readonly Field[]): string {
  return fields.map((f, i) => (i === 0 ? "" : (f.before ?? " ")) + f.text).join("");
}

/** The fields that fit in `width` columns, least kept dropped first; "" when not even the last one fits. */
export function fitFields(fields: readonly Field[], width: number): string {
  let kept = fields;
  for (;;) {
    const line = join(kept);
    if (kept.length === 0 || textWidth(line) <= width) return line;
    const lowest = Math.min(...kept.map((f) => f.keep));
    kept = kept.filter((f) => f.keep !== lowest);
  }
}

const BLOCKS = "▁▂▃▄▅▆▇█";

/** One block per value, scaled to the largest; zero is a space so silence is visible. */
export function sparkline(values: readonly number[]): string {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  let out = "";
  for (const v of values) {
    if (!(v > 0) || max === 0) {
      out += " ";
      continue;
    }
    const level = Math.min(7, Math.floor((v / max) * 7.999));
    out += BLOCKS[level];
  }
  return out;
}

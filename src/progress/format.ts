// Text pieces shared by every renderer. Pure and deterministic: byte-exact tests depend on it.

/** `1,240`: thousands separated by commas, rounded to a whole number. */
export function formatCount(n: number): string {
  const whole = Math.round(Math.max(0, n));
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `3m 24s`, `45s`, `1h 05m`, `2d 03h`; seconds are rounded up so a running scan never shows 0s. */
export function formatDuration(seconds: number): string {
  return spell(Math.ceil(seconds));
}

/**
 * Time already spent, in formatDuration's units but floored, as a clock is: a
 * scan the report says took 20.01 seconds was done in 20s, not 21s.
 */
export function formatElapsed(seconds: number): string {
  return spell(Math.floor(seconds + 1e-9));
}

function spell(whole: number): string {
  const s = Math.max(0, whole);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86_400)}d ${String(Math.floor((s % 86_400) / 3600)).padStart(2, "0")}h`;
}

/** Elapsed time as a clock: `0:07`, `12:05`, `1:02:03`. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** `1.2 Mb/s`: bits per second with a decimal prefix. */
export function formatBandwidth(bitsPerSecond: number): string {
  const b = Math.max(0, bitsPerSecond);
  if (b < 1000) return `${Math.round(b)} b/s`;
  if (b < 1e6) return `${(b / 1e3).toFixed(1)} kb/s`;
  if (b < 1e9) return `${(b / 1e6).toFixed(1)} Mb/s`;
  return `${(b / 1e9).toFixed(1)} Gb/s`;
}

/** Whole percent, floored: a scan at 99.9% is not "100%". */
export function wholePercent(percent: number): number {
  return Math.min(100, Math.max(0, Math.floor(percent + 1e-9)));
}

/**
 * `▓▓▓▓▓▓▓▓▓░` for 87%: cells are rounded, as in the design's examples, except
 * that only a finished stage gets a full bar.
 */
export function bar(percent: number, width = 10): string {
  const p = Math.min(100, Math.max(0, percent));
  let filled = Math.round((p / 100) * width);
  if (p < 100 && filled === width) filled = width - 1;
  return "▓".repeat(filled) + "░".repeat(width - filled);
}

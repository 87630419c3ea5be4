import { basename, dirname, join } from "node:path";

export type Rotation = "never" | "size" | "hourly" | "daily" | "weekly";
export type TimeRotation = "hourly" | "daily" | "weekly";

const CODES = "YmdHMS";
const CODE_RE = /%([^])/g;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `~` and `~/x` become the home folder; `~user` is left alone (no passwd lookups). */
export function expandHome(path: string, home: string | undefined): string {
  if (home === undefined || home === "") return path;
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}

/** What is wrong with a path pattern (an unknown code, a lone %), or null. */
export function patternProblem(pattern: string): string | null {
  for (const m of pattern.matchAll(CODE_RE)) {
    if (m[1] !== "%" && !CODES.includes(m[1]!)) return `unknown code "%${m[1]}"; use %Y %m %d %H %M %S`;
  }
  if (/%$/.test(pattern.replaceAll("%%", ""))) return 'it ends with a lone "%"';
  // The logger writes plain lines; a .gz name would hold plain text, and rotation would name files NAME.1.gz.gz.
  if (/\.gz$/i.test(pattern)) return 'it ends in ".gz": the log is written plain (--event-log-compression gzips rotated files); leave the ".gz" out';
  return null;
}

/** Throws a RangeError naming the problem patternProblem() finds. */
export function checkPattern(pattern: string): void {
  const problem = patternProblem(pattern);
  if (problem !== null) throw new RangeError(`invalid log path ${JSON.stringify(pattern)}: ${problem}`);
}

export function hasTimeCodes(pattern: string): boolean {
  for (const m of pattern.matchAll(CODE_RE)) if (CODES.includes(m[1]!)) return true;
  return false;
}

const two = (n: number) => String(n).padStart(2, "0");

/** Expands the time codes with the UTC fields of `epochMs` (UTC, like the events' timestamps). */
export function formatPattern(pattern: string, epochMs: number): string {
  const d = new Date(epochMs);
  return pattern.replace(CODE_RE, (whole, code: string) => {
    switch (code) {
      case "Y":
        return String(d.getUTCFullYear()).padStart(4, "0");
      case "m":
        return two(d.getUTCMonth() + 1);
      case "d":
        return two(d.getUTCDate());
      case "H":
        return two(d.getUTCHours());
      case "M":
        return two(d.getUTCMinutes());
      case "S":
        return two(d.getUTCSeconds());
      case "%":
        return "%";
      default:
        return whole;
    }
  });
}

/** Start of the UTC hour, day or week (weeks start on Monday) holding `t`. */
export function periodStart(rotation: TimeRotation, t: number): number {
  if (rotation === "hourly") return Math.floor(t / HOUR) * HOUR;
  const day = Math.floor(t / DAY) * DAY;
  if (rotation === "daily") return day;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * DAY;
}

export function periodEnd(rotation: TimeRotation, t: number): number {
  const start = periodStart(rotation, t);
  return start + (rotation === "hourly" ? HOUR : rotation === "daily" ? DAY : 7 * DAY);
}

const DEFAULT_SUFFIX: Record<TimeRotation, string> = {
  hourly: "-%Y-%m-%d-%H",
  daily: "-%Y-%m-%d",
  weekly: "-%Y-%m-%d",
};

/** `scans.jsonl` → [`scans`, `.jsonl`]; the extension never holds a time code. */
function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || name.slice(dot).includes("%")) return [name, ""];
  return [name.slice(0, dot), name.slice(dot)];
}

/**
 * The pattern time rotation names files by: the user's own when it has time codes,
 * else the path with a suffix (`suffix`, or one per rotation) before the extension.
 */
export function rotationPattern(pattern: string, rotation: Rotation, suffix?: string): string {
  if (rotation !== "hourly" && rotation !== "daily" && rotation !== "weekly") return pattern;
  if (hasTimeCodes(pattern)) return pattern;
  const dir = dirname(pattern);
  const [stem, ext] = splitExtension(basename(pattern));
  const name = stem + (suffix ?? DEFAULT_SUFFIX[rotation]) + ext;
  return dir === "." && !pattern.startsWith("./") ? name : join(dir, name);
}

/** `scans.jsonl` with index 2 → `scans.2.jsonl`; index 0 is the name itself. */
export function withIndex(path: string, index: number): string {
  if (index === 0) return path;
  const dir = dirname(path);
  const [stem, ext] = splitExtension(basename(path));
  return join(dir, `${stem}.${index}${ext}`);
}

/** The index `name` has among the rotated names of `path` (`scans.2.jsonl.gz` → 2, `scans.jsonl` → 0), or null. */
export function indexIn(path: string, name: string): number | null {
  const [stem, ext] = splitExtension(basename(path));
  const m = new RegExp(`^${escapeRe(stem)}(?:\\.(\\d+))?${escapeRe(ext)}(?:\\.gz)?$`).exec(name);
  return m ? Number(m[1] ?? 0) : null;
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface LogName {
  /** The plain file's name (without `.gz`). */
  plain: string;
  gz: boolean;
  /** Chronological sort key: Y m d H M S from the name, then the index. */
  key: number[];
}

/** A regex source for `text` whose time codes capture digits, and the codes in capture order. */
function codesToRegex(text: string): { source: string; order: string[] } {
  const order: string[] = [];
  const source = escapeRe(text).replace(/%([^])/g, (whole, code: string) => {
    if (code === "%") return "%";
    if (!CODES.includes(code)) return whole;
    order.push(code);
    return code === "Y" ? "(\\d{4})" : "(\\d{2})";
  });
  return { source, order };
}

/** A sort key (Y m d H M S, index) from the captures of codesToRegex's codes. */
function keyOf(m: RegExpExecArray, order: readonly string[]): number[] {
  const key = [0, 0, 0, 0, 0, 0, 0];
  order.forEach((code, i) => (key[CODES.indexOf(code)] = Number(m[i + 1])));
  return key;
}

/**
 * Recognises the files one pattern produces in a folder (`scans-2024-11-15.3.jsonl.gz`)
 * and gives each a sort key, so the newest N can be kept.
 */
export function nameMatcher(pattern: string): (name: string) => LogName | null {
  const [stem, ext] = splitExtension(basename(pattern));
  const { source, order } = codesToRegex(stem);
  const re = new RegExp(`^${source}(?:\\.(\\d+))?${escapeRe(ext)}(\\.gz)?$`);
  return (name) => {
    const m = re.exec(name);
    if (!m) return null;
    const key = keyOf(m, order);
    key[6] = Number(m[order.length + 1] ?? 0);
    const gz = m[order.length + 2] !== undefined;
    return { plain: gz ? name.slice(0, -3) : name, gz, key };
  };
}

/**
 * Recognises one folder name of a pattern (`%Y`, `scans-%Y-%m`): the sort key
 * its time codes give, or null. A component without codes matches only itself.
 */
export function folderMatcher(component: string): (name: string) => number[] | null {
  const { source, order } = codesToRegex(component);
  const re = new RegExp(`^${source}$`);
  return (name) => {
    const m = re.exec(name);
    return m ? keyOf(m, order) : null;
  };
}

export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

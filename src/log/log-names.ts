import { basename, dirname } from "node:path";
import type { LogFs } from "./log-fs.ts";
import { formatPattern, indexIn, periodStart, withIndex } from "./path-pattern.ts";
import type { Rotation } from "./path-pattern.ts";
import { repairTornTail } from "./tail-repair.ts";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Names and opens the files of one logger run. */
export class LogNames {
  /** Every file this run has written to: never chosen twice, so never reopened after rotation. */
  readonly used = new Set<string>();

  constructor(
    private readonly fs: LogFs,
    /** The rotation pattern (path-pattern.ts rotationPattern), `~` already expanded. */
    private readonly pattern: string,
    private readonly rotation: Rotation,
    private readonly maxSize: number,
    private readonly onTornTail: (path: string, cut: number) => void,
  ) {}

  /**
   * The file for `now`: the pattern expanded (at the period's start for time
   * rotation), then `.1`, `.2`, … past names already rotated (a `.gz` exists,
   * this run used it, or size rotation finds it full). An existing plain file
   * is appended to. The search starts at the highest index on disk: an index
   * freed by --event-log-max-files is never taken again, so names keep the
   * order they were written in, which pruning keeps the newest by.
   * Synchronous (a listing and a stat or two): rotation names the next file in
   * the same step that ends the current one.
   */
  choose(now: number): string {
    const at = this.rotation === "never" || this.rotation === "size" ? now : periodStart(this.rotation, now);
    const base = formatPattern(this.pattern, at);
    // A file too full to take a few lines would rotate again at once.
    const slack = Math.min(512, this.maxSize / 4);
    for (let i = this.highestIndex(base); ; i++) {
      const candidate = withIndex(base, i);
      if (this.used.has(candidate) || this.fs.sizeSync(candidate + ".gz") !== null) continue;
      if (this.rotation !== "never" && (this.fs.sizeSync(candidate) ?? 0) + slack >= this.maxSize) continue;
      this.used.add(candidate);
      return candidate;
    }
  }

  private highestIndex(base: string): number {
    let top = 0;
    for (const name of this.fs.listSync(dirname(base))) {
      const i = indexIn(basename(base), name);
      if (i !== null && i > top) top = i;
    }
    return top;
  }

  /** Creates folders (0700) and the file (0600), opens it for appending, and cuts a torn last line. */
  async open(path: string): Promise<{ fd: number; size: number }> {
    await this.fs.mkdirs(dirname(path), DIR_MODE);
    const fd = await this.fs.openAppend(path, FILE_MODE);
    try {
      // Repair cuts a torn last line: on a file that is not a log (a mistyped path) it would cut the user's data.
      if (!(await startsAsLog(this.fs, fd))) throw new Error("the file exists and is not a prtip event log (its first line is no log_started): not appending to it");
      const { size, cut } = await repairTornTail(this.fs, fd);
      if (cut > 0) this.onTornTail(path, cut);
      return { fd, size };
    } catch (err) {
      await this.fs.close(fd).catch(() => {});
      throw err;
    }
  }
}

const LOG_HEAD = new TextEncoder().encode('{"event":"log_started"');

/** Empty (or a device), or its first bytes are a log_started line's (or all of a first line torn within them). */
async function startsAsLog(fs: LogFs, fd: number): Promise<boolean> {
  // A device (/dev/full, a FIFO) has no size and nothing to repair.
  if ((await fs.size(fd)) === 0) return true;
  const head = new Uint8Array(LOG_HEAD.length);
  const n = await fs.read(fd, head, 0);
  for (let i = 0; i < n; i++) if (head[i] !== LOG_HEAD[i]) return false;
  return true;
}

import { join } from "node:path";
import { compressFile, zlibGzip } from "./compress.ts";
import type { Gzip } from "./compress.ts";
import { logFolders } from "./log-folders.ts";
import { systemErrorText } from "../errors.ts";
import type { LogFs } from "./log-fs.ts";
import { nameMatcher } from "./path-pattern.ts";
import { pruneLogs } from "./prune.ts";

/** True when the text's last line is a log_ended that rotation wrote. */
function endsRotated(tail: string): boolean {
  const lines = tail.split("\n");
  const last = lines.at(-1) === "" ? lines.at(-2) : undefined;
  return last !== undefined && last.startsWith('{"event":"log_ended"') && last.includes('"reason":"rotated"');
}

export type HousekeepingWarn = (code: string, message: string, severity: "low" | "medium") => void;

/**
 * Work on files the logger has finished with, one job at a time off the write
 * path: gzip each rotated file once it is closed, then keep the newest
 * max-files and clear what a crash during compression left.
 */
export class Housekeeping {
  private chain: Promise<void> = Promise.resolve();
  /** Closed files not yet compressed: pruning leaves them alone. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly fs: LogFs,
    private readonly pattern: string,
    private readonly options: { compression: boolean; gzip: Gzip | undefined; maxFiles: number | null },
    /** The file being written, never pruned. */
    private readonly active: () => string,
    private readonly warn: HousekeepingWarn,
  ) {}

  /** After `closed` resolves: compress `path` (when asked to), then prune. */
  rotated(path: string, closed: Promise<void>): void {
    this.busy.add(path);
    this.enqueue(async () => {
      await closed;
      try {
        if (this.options.compression && (await this.fs.exists(path))) {
          await compressFile(this.fs, path, this.options.gzip ?? zlibGzip);
        }
      } catch (err) {
        this.warn("event-log-compress-failed", `could not compress ${path}: ${systemErrorText(err)}`, "medium");
      } finally {
        this.busy.delete(path);
      }
      await this.prune();
    });
  }

  /**
   * At open: prune, and gzip rotated files an earlier run closed but did not
   * get to compress (it was killed first). A rotated file is one whose last
   * line is log_ended with "reason":"rotated"; others are left as they are.
   */
  cleanUp(): void {
    this.enqueue(async () => {
      await this.prune();
      if (!this.options.compression) return;
      try {
        for (const path of await this.uncompressedRotated()) this.rotated(path, Promise.resolve());
      } catch (err) {
        this.warn("event-log-compress-failed", `could not look for uncompressed event logs: ${systemErrorText(err)}`, "medium");
      }
    });
  }

  private async uncompressedRotated(): Promise<string[]> {
    const active = this.active();
    const match = nameMatcher(this.pattern);
    const found: string[] = [];
    for (const { dir } of await logFolders(this.fs, this.pattern)) {
      const names = await this.fs.list(dir);
      const present = new Set(names);
      for (const name of names) {
        const m = match(name);
        const path = join(dir, name);
        if (m === null || m.gz || present.has(name + ".gz") || path === active || this.busy.has(path)) continue;
        if (endsRotated(await this.tail(path))) found.push(path);
      }
    }
    return found;
  }

  private async tail(path: string): Promise<string> {
    const fd = await this.fs.openAppend(path, 0o600);
    try {
      const size = await this.fs.size(fd);
      const buf = new Uint8Array(Math.min(size, 4096));
      const n = await this.fs.read(fd, buf, size - buf.length);
      return new TextDecoder().decode(buf.subarray(0, n));
    } finally {
      await this.fs.close(fd);
    }
  }

  /** Resolves when every job queued so far is done. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  private enqueue(job: () => Promise<void>): void {
    this.chain = this.chain.then(job, job);
  }

  private async prune(): Promise<void> {
    try {
      await pruneLogs(this.fs, this.pattern, this.active(), this.options.maxFiles, this.busy);
    } catch (err) {
      this.warn("event-log-prune-failed", `could not remove old event logs: ${systemErrorText(err)}`, "low");
    }
  }
}

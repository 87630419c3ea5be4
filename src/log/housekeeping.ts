import { compressFile, fflateGzip } from "./compress.ts";
import type { Gzip } from "./compress.ts";
import { errorCode } from "./log-fs.ts";
import type { LogFs } from "./log-fs.ts";
import { pruneLogs } from "./prune.ts";

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
          await compressFile(this.fs, path, this.options.gzip ?? fflateGzip);
        }
      } catch (err) {
        this.warn("event-log-compress-failed", `could not compress ${path}: ${errorCode(err)}`, "medium");
      } finally {
        this.busy.delete(path);
      }
      await this.prune();
    });
  }

  cleanUp(): void {
    this.enqueue(() => this.prune());
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
      this.warn("event-log-prune-failed", `could not remove old event logs: ${errorCode(err)}`, "low");
    }
  }
}

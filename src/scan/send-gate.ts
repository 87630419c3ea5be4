import type { HostDeadline } from "./host-deadline.ts";

/**
 * When a probe may leave: the scan's pause (when it began, and the waits it
 * holds), and the pacer's wait, which honours the pause, a cancel and
 * --host-timeout's deadline.
 */
export class SendGate {
  private pausedAt: number | null = null;
  private waiters: (() => void)[] = [];
  /** --host-timeout's deadline once the port scan has started; null without the flag. */
  deadline: HostDeadline | null = null;

  constructor(
    /** Resolves when the scan is cancelled. */
    private readonly cancelled: Promise<void>,
    private readonly isCancelled: () => boolean,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  /** A pause begins at `now`; false when one already has. */
  pause(now: number): boolean {
    if (this.pausedAt !== null) return false;
    this.pausedAt = now;
    return true;
  }

  /** The pause ends at `now`: the seconds it lasted, or null when there was none. Its waits go on. */
  resume(now: number): number | null {
    if (this.pausedAt === null) return null;
    const seconds = (now - this.pausedAt) / 1000;
    this.pausedAt = null;
    this.release();
    return seconds;
  }

  /** Lets every held wait go (a resume, or a cancel). */
  release(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves on resume, or on cancel. */
  untilResumed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * The pacer's wait, which is where a throttled probe spends its time before
   * it leaves: a wait that ends while the scan is paused holds its probe until
   * resume, and then takes a fresh token from `acquire` (its own was dropped
   * when the pause began), so the workers held by a pause are spaced at the cap
   * again rather than all leaving at once. Only throttled sends come here; an
   * unthrottled send never waits, so its only pause check is the checkpoint
   * before it.
   */
  async pacedSleep(ms: number, acquire: () => Promise<void> | void): Promise<void> {
    await this.wait(ms);
    if (this.pausedAt === null || this.isCancelled() || this.deadline?.passed) return;
    await this.untilResumed();
    if (this.isCancelled()) return;
    // Every technique and discovery asks for one token at a time.
    return acquire();
  }

  /**
   * One wait, cut short by a cancel, or by --host-timeout's deadline: a wait
   * past it ends there (at --max-rate 10, 256 connect workers hold slots 25 s
   * ahead) and its probe is never sent.
   */
  private wait(ms: number): Promise<void> {
    const d = this.deadline;
    if (d === null) return Promise.race([this.sleep(ms), this.cancelled]);
    const left = d.left();
    if (ms < left) return Promise.race([this.sleep(ms), this.cancelled, d.expired]);
    return Promise.race([this.sleep(left).then(() => d.expire()), this.cancelled, d.expired]);
  }
}

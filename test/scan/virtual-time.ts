/**
 * A clock, sleeps and a repeating ticker on virtual time: `drive` lets every
 * pending continuation run, then jumps to the earliest timer and fires it, so
 * concurrent sleepers wake in due order (a sleep that just adds to the clock
 * would move time once per sleeper) and a scan of seconds runs in milliseconds.
 */
export class VirtualTime {
  private now_ = 0;
  private seq = 0;
  private timers: { at: number; seq: number; fire: () => void }[] = [];

  readonly now = (): number => this.now_;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.now_ + Math.max(0, ms), seq: this.seq++, fire: resolve });
    });

  /** An engine ticker: `fn` every `everyMs` of virtual time until cancelled. */
  readonly ticker = (fn: () => void, everyMs: number): (() => void) => {
    let live = true;
    const arm = () =>
      this.timers.push({
        at: this.now_ + everyMs,
        seq: this.seq++,
        fire: () => {
          if (!live) return;
          fn();
          arm();
        },
      });
    arm();
    return () => {
      live = false;
    };
  };

  /** Runs virtual time until `work` settles; its result. */
  async drive<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => {
      settled = true;
    });
    for (;;) {
      // A macrotask turn: every promise continuation queued so far has run.
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return done;
      if (this.timers.length === 0) throw new Error("virtual time: nothing pending, but the work has not settled");
      let next = 0;
      for (let i = 1; i < this.timers.length; i++) {
        const t = this.timers[i]!;
        const n = this.timers[next]!;
        if (t.at < n.at || (t.at === n.at && t.seq < n.seq)) next = i;
      }
      const [timer] = this.timers.splice(next, 1);
      this.now_ = Math.max(this.now_, timer!.at);
      timer!.fire();
    }
  }
}

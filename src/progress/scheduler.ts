/** Timers as a capability, so tests drive time by hand. */
export interface Scheduler {
  /** Run `fn` once after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Timers that do not keep the process alive: the scan decides when to exit, not its display. */
export const timerScheduler: Scheduler = {
  after(ms, fn) {
    const handle = setTimeout(fn, ms) as unknown as { unref?: () => void };
    handle.unref?.();
    return () => clearTimeout(handle as unknown as ReturnType<typeof setTimeout>);
  },
};

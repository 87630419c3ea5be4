/** At most `max` tasks at a time; the rest wait in arrival order. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** May be lowered while running: running tasks finish, the rest wait for the smaller limit. */
  constructor(public max: number) {}

  get running(): number {
    return this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A released slot is handed straight to the next waiter, so `active` already counts it.
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.active <= this.max ? this.waiting.shift() : undefined;
    if (next) next();
    else this.active--;
  }
}

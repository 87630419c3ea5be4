import type { Clock, Output } from "../../src/runtime/capabilities.ts";
import type { Scheduler } from "../../src/progress/index.ts";

/** A clock and timers that move only when told. */
export class FakeTime implements Clock, Scheduler {
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(public t = 1_731_666_601_000) {}

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Move time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let due: (typeof this.timers)[number] | undefined;
      for (const x of this.timers) {
        if (x.at <= end && (due === undefined || x.at < due.at || (x.at === due.at && x.seq < due.seq))) due = x;
      }
      if (due === undefined) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }

  get pending(): number {
    return this.timers.length;
  }
}

export class FakeOutput implements Output {
  readonly chunks: string[] = [];

  constructor(
    readonly isTTY: boolean,
    public columns = 100,
    public rows = 30,
  ) {}

  write(chunk: string | Uint8Array): void {
    this.chunks.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
  }

  size() {
    return { columns: this.columns, rows: this.rows };
  }

  text(): string {
    return this.chunks.join("");
  }

  clear(): void {
    this.chunks.length = 0;
  }
}

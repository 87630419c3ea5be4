import type { ReadIssue } from "../log/index.ts";

/** Thrown at the first anomaly under --strict, naming it (not as skipped); the CLI exits 1 saying it stopped. */
export class StrictStop extends Error {
  override name = "StrictStop";
}

/**
 * Counts what was skipped, reports the first few (with file and line) through
 * `report`, and under --strict stops at the first one.
 */
export class Anomalies {
  count = 0;
  readonly byKind = new Map<string, number>();

  constructor(
    private readonly report: (message: string) => void,
    private readonly strict = false,
    private readonly shown = 5,
  ) {}

  /** Bound so it can be handed to the reader as its issue sink. */
  readonly add = (issue: ReadIssue): void => {
    this.count++;
    this.byKind.set(issue.kind, (this.byKind.get(issue.kind) ?? 0) + 1);
    const where = issue.line === undefined ? issue.source : `${issue.source}:${issue.line}`;
    const message = issue.message.startsWith(issue.source) ? issue.message : `${where}: ${issue.message}`;
    // Under --strict nothing was skipped: the reading stopped there, and the CLI says so.
    if (this.strict) throw new StrictStop(message.replace(/ skipped\b/, ""));
    if (this.count <= this.shown) this.report(message);
  };

  malformed(source: string, line: number, why = "malformed line skipped"): void {
    this.add({ kind: "malformed", source, line, message: why });
  }

  /** The closing line on stderr, or nothing when all was clean. */
  finish(): void {
    if (this.count === 0) return;
    const parts = [...this.byKind].map(([kind, n]) => `${n} ${kind}`).join(", ");
    const hidden = this.count > this.shown ? ` (${this.count - this.shown} not shown)` : "";
    this.report(`skipped ${this.count}: ${parts}${hidden}`);
  }

  /** 0 when clean, 3 when anything was skipped. */
  exitCode(): number {
    return this.count === 0 ? 0 : 3;
  }
}

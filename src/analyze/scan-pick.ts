import { UsageError } from "../errors.ts";

/**
 * `--scan-id`: a whole scan id or a unique prefix of one, as git takes a commit and
 * docker a container: users copy the first block of a UUID. Which scans the input
 * holds is known only as it is read, so the prefix is matched as lines come: the
 * first id it matches is the scan, and a second, different one makes it ambiguous
 * (exit 2, both named; the lines printed before stay printed).
 */
export class ScanPick {
  /** The scan id the prefix matched, once a line of it was seen. */
  matched: string | undefined = undefined;
  // Lines of one scan come in runs: their id is compared once per run, not per line.
  #lastId: string | null | undefined = undefined;
  #lastResult = false;

  readonly #prefix: string;

  /** `prefix` as typed (hex digits and dashes, checked by the CLI); compared without case. */
  constructor(readonly prefix: string) {
    this.#prefix = prefix.toLowerCase();
  }

  /** True when `id` is the picked scan's; throws a UsageError when the prefix turns out to be ambiguous. */
  test(id: string | null): boolean {
    if (id === this.#lastId) return this.#lastResult;
    this.#lastId = id;
    this.#lastResult = id !== null && id.toLowerCase().startsWith(this.#prefix) && this.#take(id);
    return this.#lastResult;
  }

  #take(id: string): boolean {
    if (this.matched === undefined) this.matched = id;
    else if (id !== this.matched) {
      throw new UsageError(`ambiguous --scan-id ${JSON.stringify(this.prefix)}: it starts scan ${this.matched} and scan ${id}; give more of the id`);
    }
    return true;
  }
}

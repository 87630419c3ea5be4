/**
 * Scan warnings on stderr, a few of each kind: a /24 of absent LAN hosts makes
 * one "no ARP answer" warning per address, and 250 such lines bury everything
 * else. The first `perCode` of each code are printed, the rest counted and named
 * in one line at the end. With -v every warning is printed. The bus (and so
 * --event-log) still carries each one.
 */
export class WarningPrinter {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly print: (line: string) => void,
    private readonly perCode: number = 3,
  ) {}

  warn(code: string, message: string): void {
    const n = (this.seen.get(code) ?? 0) + 1;
    this.seen.set(code, n);
    if (n <= this.perCode) this.print(`prtip: warning: ${message}\n`);
  }

  /** One line per code whose warnings were held back. */
  summarize(): void {
    for (const [code, n] of this.seen) {
      const held = n - this.perCode;
      if (held > 0) this.print(`prtip: warning: ${held} more ${code} warning${held === 1 ? "" : "s"} not shown (-v shows them; --event-log keeps them all)\n`);
    }
  }
}

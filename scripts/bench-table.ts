// Shared by the bench-* scripts: timing rounds and a plain text table.

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * ns per operation for each of `rounds` runs of `n` operations, as wall time and
 * as the process's CPU time. On a shared machine the CPU figure is the steadier
 * one: time the process spends descheduled does not count.
 */
export function timeRounds(rounds: number, n: number, body: (n: number) => void): { wall: number[]; cpu: number[] } {
  body(Math.min(n, 200_000)); // warm up the JIT before measuring
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = Bun.nanoseconds();
    body(n);
    wall.push((Bun.nanoseconds() - t0) / n);
    const c = process.cpuUsage(c0);
    cpu.push(((c.user + c.system) * 1000) / n);
  }
  return { wall, cpu };
}

export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";
  console.log(line(headers));
  console.log("| " + widths.map((w) => "-".repeat(w)).join(" | ") + " |");
  for (const r of cells.slice(1)) console.log(line(r));
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
export const perSecond = (nsPerOp: number) => `${(1e9 / nsPerOp / 1e6).toFixed(1)} M/s`;

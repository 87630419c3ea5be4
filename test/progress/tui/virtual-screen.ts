// Just enough of a terminal to read back what the dashboard drew: cursor
// moves, screen clears, the alternate screen and SGR (ignored).

export class VirtualScreen {
  private grid: string[][];
  private row = 0;
  private col = 0;
  alternate = false;
  cursorVisible = true;
  wrap = true;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    this.grid = this.blank();
  }

  private blank(): string[][] {
    return Array.from({ length: this.rows }, () => Array<string>(this.columns).fill(" "));
  }

  feed(data: string): void {
    for (let i = 0; i < data.length; ) {
      if (data[i] === "\x1b") {
        const m = /^\x1b\[([0-9;?]*)([A-Za-z])/.exec(data.slice(i, i + 24));
        if (m) {
          this.csi(m[1]!, m[2]!);
          i += m[0].length;
          continue;
        }
      }
      const ch = String.fromCodePoint(data.codePointAt(i)!);
      i += ch.length;
      if (ch === "\r") this.col = 0;
      else if (ch === "\n") this.row = Math.min(this.rows - 1, this.row + 1);
      else if (this.col < this.columns) this.grid[this.row]![this.col++] = ch;
    }
  }

  private csi(params: string, final: string): void {
    const n = params.split(";").map((x) => Number(x.replace("?", "")) || 0);
    if (final === "H") {
      this.row = Math.max(0, (n[0] || 1) - 1);
      this.col = Math.max(0, (n[1] || 1) - 1);
    } else if (final === "J" && n[0] === 2) this.grid = this.blank();
    else if (final === "h" || final === "l") {
      const on = final === "h";
      if (params === "?1049") {
        this.alternate = on;
        this.grid = this.blank();
      } else if (params === "?25") this.cursorVisible = on;
      else if (params === "?7") this.wrap = on;
    }
  }

  lines(): string[] {
    return this.grid.map((r) => r.join("").trimEnd());
  }

  text(): string {
    return this.lines().join("\n");
  }
}

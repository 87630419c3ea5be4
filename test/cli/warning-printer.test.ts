import { describe, expect, test } from "bun:test";
import { WarningPrinter } from "../../src/cli/warning-printer.ts";

describe("scan warnings on stderr", () => {
  test("prints the first three of a code and names how many more were held back", () => {
    const lines: string[] = [];
    const printer = new WarningPrinter((l) => lines.push(l));
    for (let h = 3; h <= 254; h++) printer.warn("neighbor-unresolved", `no ARP answer from 198.18.0.${h}: its hosts are reported filtered`);
    printer.warn("no-route", "no route to 2001:db8::99");
    printer.summarize();
    expect(lines).toEqual([
      "prtip: warning: no ARP answer from 198.18.0.3: its hosts are reported filtered\n",
      "prtip: warning: no ARP answer from 198.18.0.4: its hosts are reported filtered\n",
      "prtip: warning: no ARP answer from 198.18.0.5: its hosts are reported filtered\n",
      "prtip: warning: no route to 2001:db8::99\n",
      "prtip: warning: 249 more neighbor-unresolved warnings not shown (-v shows them; --event-log keeps them all)\n",
    ]);
  });

  test("a code seen no more than the limit adds no summary line", () => {
    const lines: string[] = [];
    const printer = new WarningPrinter((l) => lines.push(l));
    printer.warn("a", "one");
    printer.warn("a", "two");
    printer.warn("a", "three");
    printer.summarize();
    expect(lines).toHaveLength(3);
  });

  test("with no limit (-v) every warning is printed", () => {
    const lines: string[] = [];
    const printer = new WarningPrinter((l) => lines.push(l), Infinity);
    for (let i = 0; i < 10; i++) printer.warn("a", `w${i}`);
    printer.summarize();
    expect(lines).toHaveLength(10);
  });
});

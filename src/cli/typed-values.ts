import type { CAC } from "cac";
import { UsageError } from "../errors.ts";

/**
 * The values of the options that take one, as typed, by option name (one string, or
 * several when repeated). cac's parser turns anything that reads as a number into one
 * ("" into 0, "0x50" into 80, "1e3" into 1000), whatever the option's type, so
 * `--timing ""` was -T0 and `-p 0x50` port 80; the checks read these strings instead.
 * An empty value is refused here: the parser would take the next word for it.
 */
export function typedValues(cli: CAC, argv: readonly string[]): Map<string, string | string[]> {
  const named = new Map<string, string>();
  for (const command of cli.commands) {
    for (const o of command.options) {
      if (o.required !== true) continue;
      for (const flag of o.rawName.replace(/[<[].*$/, "").split(",")) named.set(flag.trim(), o.name);
    }
  }
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length && argv[i] !== "--"; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const name = named.get(flag);
    if (name === undefined) continue;
    const value = eq < 0 ? argv[i + 1] : arg.slice(eq + 1);
    if (value === "") throw new UsageError(`option ${flag} needs a value`);
    // A missing value, or an option in its place, is left for the parser to report.
    if (value === undefined || (eq < 0 && value.startsWith("-"))) continue;
    if (eq < 0) i++;
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return new Map([...values].map(([name, v]) => [name, v.length === 1 ? v[0]! : v]));
}

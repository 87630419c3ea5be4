// cac's wording for an unknown option or a missing value, brought in line with ours: the
// option named as the user typed it, and pointed at the help that lists the options of the
// command the user ran (prtip --help, prtip log --help).

/** cac's key for an option word: `--max-rte=5` → maxRte, `--no-progres` → progres (cac reads --no-X as X negated). */
function cacKey(word: string): string {
  const name = word.replace(/^-+/, "").replace(/=.*$/s, "");
  return name.replace(/^no-/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The option word in `argv` that cac reported as `reported` (`--progres`, `-x`), as typed. */
function asTyped(reported: string, argv: readonly string[]): string {
  const end = argv.indexOf("--");
  const words = (end >= 0 ? argv.slice(0, end) : argv).filter((a) => a.startsWith("-") && a !== "-");
  const key = reported.replace(/^-+/, "");
  const typed = words.find((w) => w.replace(/=.*$/s, "") === reported) ?? words.find((w) => w.startsWith("--") && cacKey(w) === key);
  // cac names an unknown long option by its camelCase key (--scanDelay); the user typed --scan-delay.
  return typed?.replace(/=.*$/s, "") ?? reported.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Our one line for cac's unknown-option (`unknown option "--no-progres": see HELP`) and
 * missing-value (`option --exclude needs a value`) errors; undefined for any other error.
 * `argv` is what the parser was given, to name the option as typed.
 */
export function unknownOptionMessage(err: unknown, help: string, argv: readonly string[] = []): string | undefined {
  if (!(err instanceof Error) || err.name !== "CACError") return undefined;
  const unknown = /^Unknown option `([^`]+)`$/.exec(err.message);
  if (unknown) return `unknown option ${JSON.stringify(asTyped(unknown[1]!, argv))}: see ${help}`;
  const missing = /^option `(-[^`\s]+)[^`]*` value is missing$/.exec(err.message);
  if (missing) return `option ${missing[1]} needs a value`;
  return undefined;
}

// cac's wording for an unknown option, brought in line with ours and pointed at the
// help that lists the options of the command the user ran (prtip --help, prtip log --help).

/** `unknown option "--scan-delay": see HELP` for cac's unknown-option error; undefined for any other error. */
export function unknownOptionMessage(err: unknown, help: string): string | undefined {
  if (!(err instanceof Error) || err.name !== "CACError") return undefined;
  const unknown = /^Unknown option `([^`]+)`$/.exec(err.message);
  if (!unknown) return undefined;
  // cac names an unknown long option by its camelCase key (--scanDelay); the user typed --scan-delay.
  const name = unknown[1]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `unknown option ${JSON.stringify(name)}: see ${help}`;
}

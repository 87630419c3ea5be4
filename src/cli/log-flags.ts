import { cac } from "cac";
import type { CAC } from "cac";
import { eventSet, parseCidr, parseCountBy, parsePorts, parseWhere, ScanPick } from "../analyze/index.ts";
import type { FilterFormat, FilterSpec, SummaryFormat } from "../analyze/index.ts";
import { invalid, UsageError } from "../errors.ts";
import { unknownOptionMessage } from "./cac-message.ts";
import { logTime } from "./time-spec.ts";
import type { ZoneOffset } from "./time-spec.ts";
import { typedValues } from "./typed-values.ts";

// `prtip log …` flags, parsed by cac and validated once into typed options.

interface Common {
  files: string[];
  strict: boolean;
}
export interface FilterCommand extends Common {
  command: "filter";
  spec: FilterSpec;
  format: FilterFormat;
  count: boolean;
  countBy?: string[];
  top?: number;
}
export interface SummaryCommand extends Common {
  command: "summary";
  format: SummaryFormat;
  /** Only this scan (an id or a unique prefix). */
  scanId?: ScanPick;
}
export interface ReplayCommand extends Common {
  command: "replay";
  speed: number | "max";
  maxGapMs?: number;
  from?: string;
  to?: string;
  emit: boolean;
  /** The progress display a live scan would show: --live, or a line style; false with --no-progress. */
  live: boolean;
  progress: boolean;
  progressStyle?: "compact" | "detailed" | "bars";
  eta?: "linear" | "ewma" | "multi";
  spec: FilterSpec;
}
export interface TailCommand extends Common {
  command: "tail";
  lines: number;
  follow: boolean;
  spec: FilterSpec;
}
export interface DiffCommand extends Common {
  command: "diff";
  /** The logs of A and B: two files, or one file twice with `scanIds`. */
  files: [string, string];
  /** --scan-id given twice: A's scan, then B's. */
  scanIds?: [ScanPick, ScanPick];
  json: boolean;
  /** List the ports open in A that B never probed. */
  verbose: boolean;
}
export type LogCommand = FilterCommand | SummaryCommand | ReplayCommand | TailCommand | DiffCommand;

const SELECT = [
  ["--event <types>", "event types, comma-separated"],
  ["--category <names>", "lifecycle, discovery, detection, progress, diagnostic"],
  ["--scan-id <id>", "one scan: its id or a unique prefix of it"],
  ["--since <time>", "ISO time or a span back from now (15m, 2h, 7d)"],
  ["--until <time>", "ISO time or a span back from now"],
  ["--target <cidr>", "target or ip in this CIDR"],
  ["--port <ports>", "22,80-90"],
  ["--where <expr>", "field=v, field!=v, field>n, field<n, field~regex (repeatable)"],
] as const;

function program() {
  const cli = cac("prtip log");
  const filter = cli.command("filter [...files]");
  const replay = cli.command("replay [...files]");
  const tail = cli.command("tail [...files]");
  for (const cmd of [filter, replay, tail]) {
    // type [String]: a repeated flag is a list; its values as typed come from typedValues.
    for (const [flag, text] of SELECT) cmd.option(flag, text, { type: [String] });
  }
  filter
    .option("--count", "")
    .option("--count-by <field>", "", { type: [String] })
    .option("--top <n>", "", { type: [String] })
    .option("--format <f>", "", { type: [String] });
  cli.command("summary [...files]").option("--json", "").option("--markdown", "").option("--scan-id <id>", "", { type: [String] });
  replay
    .option("--speed <x>", "", { type: [String] })
    .option("--max-gap <d>", "", { type: [String] })
    .option("--from <time>", "", { type: [String] })
    .option("--to <time>", "", { type: [String] })
    .option("--emit", "")
    .option("--live", "")
    .option("--no-progress", "")
    .option("--progress-style <style>", "", { type: [String] })
    .option("--eta <method>", "", { type: [String] });
  tail.option("-f, --follow", "").option("-n, --lines <n>", "", { type: [String] });
  // Its files are counted in parseLogArgs: two, or one with --scan-id twice.
  cli.command("diff [...files]").option("--json", "").option("-v, --verbose", "").option("--scan-id <id>", "", { type: [String] });
  for (const cmd of cli.commands) cmd.option("--strict", "").option("--debug", "");
  return cli;
}

type Raw = Record<string, unknown>;

/** Every value a repeatable, comma-separable flag was given. */
function list(raw: Raw, key: string, comma: boolean): string[] {
  const v = raw[key];
  const values = v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
  return comma ? values.flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "") : values;
}

function single(raw: Raw, key: string, flag: string): string | undefined {
  const values = list(raw, key, false);
  if (values.length > 1) throw new UsageError(`option --${flag} was given more than once`);
  const v = values[0];
  if (v === "" || v === "true") throw new UsageError(`option --${flag} needs a value`);
  return v;
}

function positive(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw invalid(`value for --${flag}`, text, integer ? "expected a whole number above 0" : "expected a number above 0");
  }
  return n;
}

/** 500ms, 5s, 2m, or plain seconds. */
function duration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!m) throw invalid(`duration for --${flag}`, text, "expected a number with ms, s, m or h (e.g. 5s)");
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
}

/**
 * Refuses an empty time window, [since, until) with since not before until: almost
 * always swapped bounds, which would print nothing and exit 0. Both values are named
 * as typed, with the UTC time each was read as unless typed in UTC.
 */
function checkWindow(start: [flag: string, text: string | undefined, iso: string | undefined], end: [flag: string, text: string | undefined, iso: string | undefined]) {
  const [startFlag, startText, from] = start;
  const [endFlag, endText, to] = end;
  if (from === undefined || to === undefined || from < to) return;
  const shown = (text: string, iso: string) => JSON.stringify(text) + (/z$/i.test(text) ? "" : ` (${iso})`);
  const how = from === to ? "is the same time as" : "is after";
  throw new UsageError(`invalid time window: ${startFlag} ${shown(startText!, from)} ${how} ${endFlag} ${shown(endText!, to)}, so nothing could match`);
}

/** A scan id or the start of one: hex digits and dashes, anything else is a typo that would match nothing. */
function scanPick(value: string): ScanPick {
  if (!/^[0-9a-f][0-9a-f-]*$/i.test(value)) {
    throw invalid("value for --scan-id", value, "expected a scan id or the start of one: hex digits and dashes (3f2b8c1e)");
  }
  return new ScanPick(value);
}

function spec(raw: Raw, now: number, zone?: ZoneOffset): FilterSpec {
  const out: FilterSpec = {};
  const events = eventSet(list(raw, "event", true), list(raw, "category", true));
  if (events !== undefined) out.events = events;
  const scanId = single(raw, "scanId", "scan-id");
  if (scanId !== undefined) out.scanId = scanPick(scanId);
  const since = single(raw, "since", "since");
  if (since !== undefined) out.since = logTime("--since", since, now, zone);
  const until = single(raw, "until", "until");
  if (until !== undefined) out.until = logTime("--until", until, now, zone);
  checkWindow(["--since", since, out.since], ["--until", until, out.until]);
  const targets = list(raw, "target", true);
  if (targets.length > 0) out.targets = targets.map(parseCidr);
  const ports = list(raw, "port", false);
  if (ports.length > 0) out.ports = parsePorts(ports.join(","));
  const where = list(raw, "where", false);
  if (where.length > 0) out.where = where.map(parseWhere);
  return out;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw invalid(`value for --${flag}`, value, `expected one of ${allowed.join(", ")}`);
  return value as T;
}

const COMMANDS = ["filter", "summary", "replay", "tail", "diff"];

/** Each flag that takes a value (-n, --lines, --event, …) and the long name it is reported by. */
function valueFlags(cli: CAC): Map<string, string> {
  const takesValue = new Map<string, string>();
  for (const command of cli.commands) {
    for (const o of command.options) {
      if (o.required !== true) continue;
      const flags = o.rawName.replace(/[<[].*$/, "").split(",").map((f) => f.trim());
      const long = flags.find((f) => f.startsWith("--")) ?? flags[0]!;
      for (const flag of flags) takesValue.set(flag, long);
    }
  }
  return takesValue;
}

/**
 * `-n -3` as `--lines=-3`: a negative number after an option that takes a value is
 * that option's (bad) value, to be refused as such; the parser read it as an
 * unknown option "-3", leaving the user to guess whose.
 */
function negativeValues(takesValue: ReadonlyMap<string, string>, argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const long = takesValue.get(arg);
    const next = argv[i + 1];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (long !== undefined && next !== undefined && /^-\d/.test(next)) {
      out.push(`${long}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

// Stands for a lone "-" while cac parses: NUL cannot be in a file name.
const STDIN = "\u0000-";

/**
 * A lone `-` operand (stdin) as a word the parser keeps among the files, at its
 * place: cac reads it as an option with an empty name, which ate the next file
 * (`- b.jsonl`) or vanished (`a.jsonl -`). After an option that takes a value it
 * is that option's missing value (no option of ours takes "-").
 */
function stdinOperands(takesValue: ReadonlyMap<string, string>, argv: readonly string[]): string[] {
  const end = argv.indexOf("--");
  return argv.map((arg, i) => {
    if (arg !== "-" || (end >= 0 && i > end)) return arg;
    const before = argv[i - 1] ?? "";
    if (takesValue.has(before)) throw new UsageError(`option ${before} needs a value`);
    return STDIN;
  });
}

function oneOfFlag<K extends string, T extends string>(raw: Record<string, unknown>, key: K, flag: string, allowed: readonly T[]) {
  const value = single(raw, key, flag);
  if (value === undefined) return {};
  if (!(allowed as readonly string[]).includes(value)) throw invalid(`value for --${flag}`, value, `expected one of ${allowed.join(", ")}`);
  return { [key]: value as T } as { [P in K]?: T };
}

/**
 * Typed options for `prtip log SUB …`; `now` anchors relative times such as --since 15m,
 * `zone` places times typed without one (the process's local zone by default).
 */
export function parseLogArgs(argv: readonly string[], now: number, zone?: ZoneOffset): LogCommand {
  const sub = argv[0];
  if (sub === undefined || !COMMANDS.includes(sub)) throw invalid("log command", sub ?? "", `expected one of ${COMMANDS.join(", ")}`);
  const cli = program();
  const takesValue = valueFlags(cli);
  const args = stdinOperands(takesValue, negativeValues(takesValue, argv));
  let parsed;
  try {
    parsed = cli.parse(["prtip", "log", ...args], { run: false });
    cli.matchedCommand?.checkUnknownOptions();
    cli.matchedCommand?.checkOptionValue();
    cli.matchedCommand?.checkRequiredArgs();
  } catch (err) {
    // The options are listed by prtip log --help, not prtip --help.
    if (!(err instanceof Error && err.name === "CACError")) throw err;
    throw new UsageError(unknownOptionMessage(err, "prtip log --help", args) ?? `${err.message}: see prtip log --help`);
  }
  const raw = parsed.options as Raw;
  // A switch given twice is an array to cac: `tail -f -f` was no -f, `--json --json` the table.
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value) && value.every((v) => typeof v === "boolean")) raw[name] = value.at(-1);
  }
  for (const [name, value] of typedValues(cli, args)) raw[name] = value;
  // cac keeps what follows "--" apart: those are files too (prtip log filter -- -odd-name.jsonl)
  const files = [...parsed.args, ...((raw["--"] as unknown[] | undefined) ?? [])].map((f) => (f === STDIN ? "-" : String(f)));
  const common = { files: files.length === 0 ? ["-"] : files, strict: raw.strict === true };
  switch (sub) {
    case "filter": {
      const countBy = single(raw, "countBy", "count-by");
      const top = positive("top", single(raw, "top", "top"), true);
      if (top !== undefined && countBy === undefined) throw new UsageError("option --top needs --count-by");
      // One number or a table of them: with both, one would be dropped without a word.
      if (raw.count === true && countBy !== undefined) throw new UsageError("choose one of --count and --count-by");
      return {
        command: "filter",
        ...common,
        spec: spec(raw, now, zone),
        format: oneOf("format", single(raw, "format", "format"), ["lines", "table", "csv", "json"] as const, "lines"),
        count: raw.count === true,
        ...(countBy === undefined ? {} : { countBy: parseCountBy(countBy) }),
        ...(top === undefined ? {} : { top }),
      };
    }
    case "summary": {
      if (raw.json === true && raw.markdown === true) throw new UsageError("choose one of --json and --markdown");
      const scanId = single(raw, "scanId", "scan-id");
      return {
        command: "summary",
        ...common,
        format: raw.json === true ? "json" : raw.markdown === true ? "markdown" : "table",
        ...(scanId === undefined ? {} : { scanId: scanPick(scanId) }),
      };
    }
    case "replay": {
      const speedText = single(raw, "speed", "speed");
      const from = single(raw, "from", "from");
      const to = single(raw, "to", "to");
      const maxGapMs = duration("max-gap", single(raw, "maxGap", "max-gap"));
      const fromIso = from === undefined ? undefined : logTime("--from", from, now, zone);
      const toIso = to === undefined ? undefined : logTime("--to", to, now, zone);
      checkWindow(["--from", from, fromIso], ["--to", to, toIso]);
      return {
        command: "replay",
        ...common,
        speed: speedText === "max" ? "max" : (positive("speed", speedText, false) ?? 1),
        ...(maxGapMs === undefined ? {} : { maxGapMs }),
        ...(fromIso === undefined ? {} : { from: fromIso }),
        ...(toIso === undefined ? {} : { to: toIso }),
        emit: raw.emit === true,
        live: raw.live === true,
        progress: raw.progress !== false,
        ...oneOfFlag(raw, "progressStyle", "progress-style", ["compact", "detailed", "bars"] as const),
        ...oneOfFlag(raw, "eta", "eta", ["linear", "ewma", "multi"] as const),
        spec: spec(raw, now, zone),
      };
    }
    case "tail": {
      const lines = single(raw, "lines", "lines");
      const n = lines === undefined ? 10 : /^\d+$/.test(lines) ? Number(lines) : Number.NaN;
      if (!Number.isSafeInteger(n)) throw invalid("value for --lines", lines, "expected a whole number, 0 or more");
      return { command: "tail", ...common, lines: n, follow: raw.follow === true, spec: spec(raw, now, zone) };
    }
    default: {
      const ids = list(raw, "scanId", false).map(scanPick);
      const usage = "log diff takes two files A B, or one FILE with --scan-id A --scan-id B (A's scan, then B's)";
      if (ids.length !== 0 && ids.length !== 2) throw new UsageError(`option --scan-id was given ${ids.length} times: ${usage}`);
      if (!(files.length === 2 || (files.length === 1 && ids.length === 2))) {
        throw new UsageError(`log diff was given ${files.length} ${files.length === 1 ? "file" : "files"}: ${usage}`);
      }
      // One log, two scans: it is read twice, which stdin cannot be.
      if (files.length === 1 && files[0] === "-") throw new UsageError("log diff --scan-id A --scan-id B reads its FILE twice: give a file, not - (stdin)");
      return {
        command: "diff",
        strict: common.strict,
        files: [files[0]!, files[1] ?? files[0]!],
        ...(ids.length === 2 ? { scanIds: [ids[0]!, ids[1]!] as [ScanPick, ScanPick] } : {}),
        json: raw.json === true,
        verbose: raw.verbose !== undefined && raw.verbose !== false,
      };
    }
  }
}

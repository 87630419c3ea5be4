import { cac } from "cac";
import { invalid, UsageError } from "../errors.ts";
import { splitTargetList } from "../scan/index.ts";
import { nmapTime } from "./time-spec.ts";
import { typedValues } from "./typed-values.ts";
import { unknownOptionMessage } from "./cac-message.ts";

/**
 * The scan command's flags as typed values. A field is undefined when the user
 * did not give the flag, so the config file can fill it (flags > file > defaults).
 */
export interface ScanFlags {
  targets: string[];
  inputList?: string;
  exclude?: string[];
  /** Every --excludefile given, in order: each one counts. */
  excludeFiles?: string[];
  ipv6?: boolean;
  /** -sL: list the targets, send nothing. */
  listScan?: boolean;
  /** -r: probe hosts and ports in order instead of a random permutation. */
  portsInOrder?: boolean;
  /** --scan-delay, in ms: at least this long between probes. */
  scanDelayMs?: number;
  /** --max-scan-delay, in ms: accepted and checked; prtip never grows the delay on its own. */
  maxScanDelayMs?: number;
  /** --host-timeout, in ms: give up on hosts still being scanned after this long; 0 is no limit. */
  hostTimeoutMs?: number;
  shard?: { index: number; count: number };
  seed?: number;
  ping?: boolean;
  pingOnly?: boolean;
  resolve?: boolean;
  technique?: "syn" | "connect" | "udp";
  /** -sU given with -sS or -sT: the scan probes TCP (`technique`) and then UDP, as nmap's -sS -sU does. */
  withUdp?: boolean;
  ports?: string;
  topPorts?: number;
  fast?: boolean;
  serviceVersion?: boolean;
  versionIntensity?: number;
  osDetect?: boolean;
  timing?: number;
  maxRate?: number;
  minRate?: number;
  maxRetries?: number;
  outputNormal?: string;
  outputGrepable?: string;
  outputXml?: string;
  outputJson?: string;
  outputAll?: string;
  verbosity: number;
  quiet?: boolean;
  /** --reason: a REASON column and why each host is up, as nmap's --reason. */
  reason?: boolean;
  /** --open: list only open (and possibly open) ports, and only hosts that have some. */
  open?: boolean;
  progress?: boolean;
  progressStyle?: "compact" | "detailed" | "bars";
  eta?: "linear" | "ewma" | "multi";
  live?: boolean;
  eventLog?: string;
  eventLogRotation?: "never" | "size" | "hourly" | "daily" | "weekly";
  eventLogMaxSize?: number;
  eventLogMaxFiles?: number;
  eventLogCompression?: boolean;
  config?: string;
  dropPrivileges?: boolean;
  confirmLarge?: boolean;
  debug: boolean;
}

/** The command's long flags that take no value and have a dash inside their name ("--os-detect"), negations aside. */
function kebabFlags(cli: ReturnType<typeof program>): Set<string> {
  const flags = new Set<string>();
  for (const command of cli.commands) {
    for (const o of command.options) {
      const name = o.rawName.trim();
      if (o.isBoolean && !o.negated && /^--[a-z0-9]+-/.test(name)) flags.add(name);
    }
  }
  return flags;
}

function program() {
  const cli = cac("prtip");
  cli
    .command("[...targets]")
    .option("--input-list <file>", "")
    .option("--exclude <targets>", "")
    .option("--excludefile <file>", "")
    .option("--ipv6", "")
    .option("--ipv4", "")
    .option("--list-scan", "")
    .option("--ports-in-order", "")
    .option("--scan-delay <time>", "")
    .option("--max-scan-delay <time>", "")
    .option("--host-timeout <time>", "")
    .option("--shard <i/n>", "")
    .option("--seed <n>", "")
    .option("--no-ping", "")
    .option("--ping-only", "")
    .option("--no-resolve", "")
    .option("--syn", "")
    .option("--connect", "")
    .option("--udp", "")
    .option("--ports <ports>", "")
    .option("--top-ports <n>", "")
    .option("--fast", "")
    .option("--service-version", "")
    .option("--version-intensity <n>", "")
    .option("--os-detect", "")
    .option("--timing <n>", "")
    .option("--max-rate <n>", "")
    .option("--min-rate <n>", "")
    .option("--max-retries <n>", "")
    .option("--output-normal <file>", "")
    .option("--output-grepable <file>", "")
    .option("--output-xml <file>", "")
    .option("--output-json <file>", "")
    .option("--output-all <base>", "")
    .option("--quiet", "")
    .option("--open", "")
    .option("--reason", "")
    .option("--no-progress", "")
    .option("--progress-style <style>", "")
    .option("--eta <method>", "")
    .option("--live", "")
    .option("--event-log <path>", "")
    .option("--event-log-rotation <when>", "")
    .option("--event-log-max-size <bytes>", "")
    .option("--event-log-max-files <n>", "")
    .option("--event-log-compression", "")
    .option("--config <file>", "")
    .option("--no-drop-privileges", "")
    .option("--confirm-large-scan", "")
    .option("--debug", "");
  return cli;
}

type Raw = Record<string, unknown>;

function text(raw: Raw, key: string, flag: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new UsageError(`option --${flag} was given more than once`);
  if (typeof v === "boolean") throw new UsageError(`option --${flag} needs a value`);
  return String(v);
}

/** Every value of an option that may be repeated, in order. */
function texts(raw: Raw, key: string, flag: string): string[] | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  const all = Array.isArray(v) ? v : [v];
  if (all.some((x) => typeof x === "boolean")) throw new UsageError(`option --${flag} needs a value`);
  return all.map(String);
}

/** A whole number in [min, max], named in the error when it is not. */
export function wholeNumber(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw invalid(`value for ${flag}`, value, `expected a whole number from ${min} to ${max}`);
  }
  return n;
}

function num(raw: Raw, key: string, flag: string, min: number, max: number): number | undefined {
  const v = text(raw, key, flag);
  return v === undefined ? undefined : wholeNumber(`--${flag}`, v, min, max);
}

/** nmap's names for -T0 to -T5, in order; nmap compares them ignoring case. The config file's `timing` takes them too. */
export const TIMING_NAMES = ["paranoid", "sneaky", "polite", "normal", "aggressive", "insane"] as const;

/** -T: a number 0-5 or its name (-T4, -Taggressive, -T Insane). */
function timing(raw: Raw): number | undefined {
  const v = text(raw, "timing", "timing (-T)");
  if (v === undefined) return undefined;
  const named = TIMING_NAMES.indexOf(v.toLowerCase() as (typeof TIMING_NAMES)[number]);
  if (named >= 0) return named;
  if (/^[0-5]$/.test(v)) return Number(v);
  throw invalid("value for --timing (-T)", v, `expected 0-5 or one of ${TIMING_NAMES.join(", ")}`);
}

function choice<T extends string>(raw: Raw, key: string, flag: string, allowed: readonly T[]): T | undefined {
  const v = text(raw, key, flag);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw invalid(`value for --${flag}`, v, `expected one of ${allowed.join(", ")}`);
  }
  return v as T;
}

/**
 * A switch: given, `--x=true` or `--x=false` (Boolean("false") would be true); repeated, the last one
 * counts. Read every switch through here: cac makes a repeated one an array, and `-sT -sT` read as
 * `raw.connect === true` was no -sT at all (a SYN scan as root).
 */
function flag(raw: Raw, key: string): boolean | undefined {
  const given = raw[key];
  const v = Array.isArray(given) ? given.at(-1) : given;
  if (v === undefined || v === true || v === false) return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw invalid(`value for --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v), "expected true or false");
}

/** Byte sizes as 100MB, 512K, 1G or plain bytes. */
export function byteSize(flag: string, value: string): number {
  const m = /^(\d+)\s*([kmg]i?b?|b)?$/i.exec(value.trim());
  if (!m) throw invalid(`size for ${flag}`, value, "expected bytes, or a number with K, M or G");
  const unit = (m[2] ?? "").toLowerCase()[0];
  const scale = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
  const n = Number(m[1]) * scale;
  if (n < 1) throw invalid(`size for ${flag}`, value, "must be at least 1 byte");
  // Past this the byte counts of rotation lose whole bytes (and 1e29 was taken as a size).
  if (!Number.isSafeInteger(n)) throw invalid(`size for ${flag}`, value, `at most ${Math.floor(Number.MAX_SAFE_INTEGER / 1024 ** 3)}G`);
  return n;
}

function shard(raw: Raw): ScanFlags["shard"] {
  const v = text(raw, "shard", "shard");
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = m ? Number(m[1]) : 0;
  const count = m ? Number(m[2]) : 0;
  if (!m || count < 1 || index < 1 || index > count) {
    throw invalid("shard", v, "expected I/N with 1 <= I <= N");
  }
  return { index, count };
}

/** The techniques as the help and nmap spell them (--syn and the others are their long forms). */
const SPELLED = { syn: "-sS", connect: "-sT", udp: "-sU" } as const;

/** -4 and -6: one family; -4 is the default, written down (it overrides a config file's ipv6). */
function ipv6(raw: Raw): boolean | undefined {
  const v6 = flag(raw, "ipv6");
  const v4 = flag(raw, "ipv4");
  if (v4 === true && v6 === true) throw new UsageError("choose one of -4 and -6, not both");
  return v6 ?? (v4 === true ? false : undefined);
}

/** What -sL cannot go with, as nmap refuses it: it lists targets and probes nothing. */
function checkListScan(raw: Raw): void {
  if (flag(raw, "listScan") !== true) return;
  const spelled: Record<string, string> = { syn: "-sS", connect: "-sT", udp: "-sU", ports: "-p", topPorts: "--top-ports", fast: "-F", osDetect: "-O", outputJson: "-oJ" };
  const other = Object.keys(spelled).find((k) => raw[k] !== undefined && raw[k] !== false);
  if (other === undefined) return;
  const why = other === "outputJson" ? "-oJ writes scan events and a list scan has none" : "a list scan sends no probes";
  throw new UsageError(`-sL cannot be used with ${spelled[other]}: ${why}`);
}

function time(raw: Raw, key: string, flagName: string): number | undefined {
  const v = text(raw, key, flagName);
  return v === undefined ? undefined : nmapTime(`--${flagName}`, v);
}

function technique(raw: Raw): Pick<ScanFlags, "technique" | "withUdp"> {
  const tcp = (["syn", "connect"] as const).filter((t) => flag(raw, t) === true);
  // nmap refuses two TCP techniques too; a TCP one with -sU it runs as one scan of both protocols.
  if (tcp.length > 1) throw new UsageError(`choose one TCP scan technique, not ${tcp.map((t) => SPELLED[t]).join(" and ")}`);
  const udp = flag(raw, "udp") === true;
  if (tcp[0] !== undefined) return udp ? { technique: tcp[0], withUdp: true } : { technique: tcp[0] };
  return udp ? { technique: "udp" } : {};
}

/**
 * -sn with a port choice: nmap stops ("You cannot use -F (fast scan) or -p
 * (explicit port selection) when not doing a port scan"); scanning nothing
 * while the user thinks port 80 was checked is the worse answer. nmap lets
 * --top-ports by unsaid; it is refused here too, for the same reason.
 */
function refusePortsWithPingOnly(flags: ScanFlags): ScanFlags {
  if (!flags.pingOnly) return flags;
  const given = flags.ports !== undefined ? `-p ${JSON.stringify(flags.ports)}` : flags.fast ? "-F" : flags.topPorts !== undefined ? `--top-ports ${flags.topPorts}` : null;
  if (given !== null) throw new UsageError(`-sn scans no ports, so ${given} cannot go with it: drop one`);
  return flags;
}

/** One --exclude's targets; an empty item (",", "a,,b", a trailing comma) is a typo, as in -p. */
function excludeList(text: string): string[] {
  if (/^\s*,|,\s*,|,\s*$/.test(text)) throw invalid("--exclude list", text, "empty item");
  return splitTargetList(text);
}

export function parseScanFlags(argv: string[], verbosity: number): ScanFlags {
  const cli = program();
  // cac declares its flags to its parser by their camelCase names, so a kebab-case one
  // (--os-detect, --service-version, --ping-only…) is taken for an option with a value and
  // swallows the word after it: `prtip -sV 198.18.0.1` lost its target. Such flags are
  // handed over as --flag=true.
  const kebab = kebabFlags(cli);
  const given = argv.map((a) => (kebab.has(a) ? `${a}=true` : a));
  let parsed;
  try {
    parsed = cli.parse(["prtip", "prtip", ...given], { run: false });
    cli.matchedCommand?.checkUnknownOptions();
    cli.matchedCommand?.checkOptionValue();
  } catch (err) {
    const message = unknownOptionMessage(err, "prtip --help", argv);
    throw message === undefined ? err : new UsageError(message);
  }
  const raw = parsed.options as Raw;
  // cac reports a missing value only when the option is given once: `--seed 2 --seed` kept 2.
  for (const o of cli.matchedCommand?.options ?? []) {
    const v = raw[o.name];
    if (o.required === true && Array.isArray(v) && v.includes(true)) {
      throw new UsageError(`option ${o.rawName.replace(/\s*<.*$/, "")} needs a value`);
    }
  }
  for (const [name, value] of typedValues(cli, given)) raw[name] = value;
  // nmap keeps the last --exclude (and --excludefile) and drops the others unsaid; each one the
  // user gives is honoured here instead: scanning an address meant to be excluded is the worse surprise.
  const exclude = texts(raw, "exclude", "exclude");
  checkListScan(raw);
  return refusePortsWithPingOnly({
    // cac keeps what follows "--" apart: those are targets too (prtip -p 22 -- "$host")
    targets: [...parsed.args, ...((raw["--"] as unknown[] | undefined) ?? [])].map(String),
    inputList: text(raw, "inputList", "input-list"),
    exclude: exclude?.flatMap(excludeList),
    excludeFiles: texts(raw, "excludefile", "excludefile"),
    ipv6: ipv6(raw),
    listScan: flag(raw, "listScan"),
    portsInOrder: flag(raw, "portsInOrder"),
    scanDelayMs: time(raw, "scanDelay", "scan-delay"),
    maxScanDelayMs: time(raw, "maxScanDelay", "max-scan-delay"),
    hostTimeoutMs: time(raw, "hostTimeout", "host-timeout"),
    shard: shard(raw),
    seed: num(raw, "seed", "seed", 0, 2 ** 32 - 1),
    ping: raw.ping === false ? false : undefined,
    pingOnly: flag(raw, "pingOnly"),
    resolve: raw.resolve === false ? false : undefined,
    ...technique(raw),
    ports: text(raw, "ports", "ports"),
    topPorts: num(raw, "topPorts", "top-ports", 1, 65535),
    fast: flag(raw, "fast"),
    serviceVersion: flag(raw, "serviceVersion"),
    versionIntensity: num(raw, "versionIntensity", "version-intensity", 0, 9),
    osDetect: flag(raw, "osDetect"),
    timing: timing(raw),
    maxRate: num(raw, "maxRate", "max-rate", 1, 100_000_000),
    minRate: num(raw, "minRate", "min-rate", 1, 100_000_000),
    maxRetries: num(raw, "maxRetries", "max-retries", 0, 50),
    outputNormal: text(raw, "outputNormal", "output-normal (-oN)"),
    outputGrepable: text(raw, "outputGrepable", "output-grepable (-oG)"),
    outputXml: text(raw, "outputXml", "output-xml (-oX)"),
    outputJson: text(raw, "outputJson", "output-json (-oJ)"),
    outputAll: text(raw, "outputAll", "output-all (-oA)"),
    verbosity,
    quiet: flag(raw, "quiet"),
    open: flag(raw, "open"),
    reason: flag(raw, "reason"),
    progress: raw.progress === false ? false : undefined,
    progressStyle: choice(raw, "progressStyle", "progress-style", ["compact", "detailed", "bars"] as const),
    eta: choice(raw, "eta", "eta", ["linear", "ewma", "multi"] as const),
    live: flag(raw, "live"),
    eventLog: text(raw, "eventLog", "event-log"),
    eventLogRotation: choice(raw, "eventLogRotation", "event-log-rotation", [
      "never",
      "size",
      "hourly",
      "daily",
      "weekly",
    ] as const),
    eventLogMaxSize: ((v) => (v === undefined ? undefined : byteSize("--event-log-max-size", v)))(
      text(raw, "eventLogMaxSize", "event-log-max-size"),
    ),
    eventLogMaxFiles: num(raw, "eventLogMaxFiles", "event-log-max-files", 1, 100_000),
    eventLogCompression: flag(raw, "eventLogCompression"),
    config: text(raw, "config", "config"),
    dropPrivileges: raw.dropPrivileges === false ? false : undefined,
    confirmLarge: flag(raw, "confirmLargeScan"),
    debug: flag(raw, "debug") === true,
  });
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TomlError, parse } from "smol-toml";
import { UsageError, invalid, systemErrorText } from "../errors.ts";
import { expandHome, patternProblem } from "../log/index.ts";
import type { Rotation } from "../log/index.ts";
import type { Runtime } from "../runtime/index.ts";
import { parsePorts, parseTargets } from "../scan/index.ts";
import { configKeyLine } from "./config-lines.ts";
import { settingNames, settleRotation } from "./logging-options.ts";
import type { RotationKey } from "./logging-options.ts";
import { byteSize, TIMING_NAMES } from "./scan-flags.ts";
import type { ScanFlags } from "./scan-flags.ts";
import { nmapTime } from "./time-spec.ts";

/** The event log settings after flags, config file and defaults are merged. */
export interface LoggingOptions {
  /** Path pattern with `~` expanded (time codes are expanded by the logger); null: no event log. */
  path: string | null;
  rotation: Rotation;
  /** Null when not given: size rotation then uses 100 MB, time rotation has no size limit. */
  maxSize: number | null;
  maxFiles: number | null;
  compression: boolean;
  /** Suffix time rotation adds when the path has no time code; null: the logger's default. */
  rotationSuffix: string | null;
}

export interface ProgressOptions {
  enabled: boolean;
  style: "compact" | "detailed" | "bars";
  eta: "linear" | "ewma" | "multi";
  live: boolean;
}

export interface ResolvedOptions {
  /** Every flag, with gaps the user left filled from the config file (still undefined when neither gave it). */
  flags: ScanFlags;
  logging: LoggingOptions;
  progress: ProgressOptions;
  /** The config file that was read, or null. */
  configFile: string | null;
}

type Kind =
  | { type: "string" }
  | { type: "bool" }
  | { type: "int"; min: number; max: number }
  | { type: "enum"; values: readonly string[] }
  | { type: "size" }
  | { type: "time" }
  | { type: "timing" }
  | { type: "ports" }
  | { type: "targets" }
  | { type: "paths" };

type FileValues = Partial<ScanFlags> & { eventLogPattern?: string };

interface KeySpec {
  field: keyof FileValues;
  kind: Kind;
}

const str: Kind = { type: "string" };
const bool: Kind = { type: "bool" };
const int = (min: number, max: number): Kind => ({ type: "int", min, max });
const oneOf = (...values: string[]): Kind => ({ type: "enum", values });
const time: Kind = { type: "time" };

/** Sections and keys of config.toml; `[scan]` and `[progress]` mirror the flags. */
const KEYS: Record<string, Record<string, KeySpec>> = {
  logging: {
    event_log: { field: "eventLog", kind: str },
    event_log_rotation: { field: "eventLogRotation", kind: oneOf("never", "size", "hourly", "daily", "weekly") },
    event_log_max_size: { field: "eventLogMaxSize", kind: { type: "size" } },
    event_log_max_files: { field: "eventLogMaxFiles", kind: int(1, 100_000) },
    event_log_compression: { field: "eventLogCompression", kind: bool },
    event_log_pattern: { field: "eventLogPattern", kind: str },
  },
  scan: {
    // "syn+udp" is -sS -sU (nmap's combined scan), "connect+udp" -sT -sU.
    technique: { field: "technique", kind: oneOf("syn", "connect", "udp", "syn+udp", "connect+udp") },
    ports: { field: "ports", kind: { type: "ports" } },
    top_ports: { field: "topPorts", kind: int(1, 65535) },
    fast: { field: "fast", kind: bool },
    ping: { field: "ping", kind: bool },
    resolve: { field: "resolve", kind: bool },
    ipv6: { field: "ipv6", kind: bool },
    exclude: { field: "exclude", kind: { type: "targets" } },
    // One file or several, as `exclude` takes one target or several.
    exclude_file: { field: "excludeFiles", kind: { type: "paths" } },
    seed: { field: "seed", kind: int(0, 2 ** 32 - 1) },
    service_version: { field: "serviceVersion", kind: bool },
    version_intensity: { field: "versionIntensity", kind: int(0, 9) },
    os_detect: { field: "osDetect", kind: bool },
    ports_in_order: { field: "portsInOrder", kind: bool },
    timing: { field: "timing", kind: { type: "timing" } },
    scan_delay: { field: "scanDelayMs", kind: time },
    max_scan_delay: { field: "maxScanDelayMs", kind: time },
    host_timeout: { field: "hostTimeoutMs", kind: time },
    max_rate: { field: "maxRate", kind: int(1, 100_000_000) },
    min_rate: { field: "minRate", kind: int(1, 100_000_000) },
    max_retries: { field: "maxRetries", kind: int(0, 50) },
    drop_privileges: { field: "dropPrivileges", kind: bool },
    confirm_large_scan: { field: "confirmLarge", kind: bool },
    reason: { field: "reason", kind: bool },
  },
  progress: {
    progress: { field: "progress", kind: bool },
    progress_style: { field: "progressStyle", kind: oneOf("compact", "detailed", "bars") },
    eta: { field: "eta", kind: oneOf("linear", "ewma", "multi") },
    live: { field: "live", kind: bool },
    quiet: { field: "quiet", kind: bool },
  },
};

function describe(kind: Kind): string {
  switch (kind.type) {
    case "string":
      return "expected a string";
    case "bool":
      return "expected true or false";
    case "int":
      return `expected a whole number from ${kind.min} to ${kind.max}`;
    case "enum":
      return `expected one of ${kind.values.join(", ")}`;
    case "size":
      return 'expected bytes, or a string like "100MB"';
    case "time":
      return 'expected a time like "500ms", "1.5s", "2m" or "1h" (a plain number is seconds), at most 168h';
    case "timing":
      return `expected 0-5 or one of ${TIMING_NAMES.join(", ")}`;
    case "ports":
      return 'expected a port list like "22,80,1000-2000" (ports 1-65535)';
    case "targets":
    case "paths":
      return "expected a string or an array of strings";
  }
}

/** One entry of a list that is refused, with the reason. */
class Refused {
  constructor(
    readonly value: string,
    readonly why: string,
  ) {}
}

/**
 * The first target of `list` the scan would refuse. Checked here, not when the
 * scan is planned, so the error can name the file and line.
 */
function refusedTarget(list: string[]): Refused | null {
  for (const spec of list) {
    try {
      parseTargets(spec);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      // parseTarget's message is `invalid WHAT "VALUE": WHY`; keep WHY for our own message.
      return new Refused(spec, err.message.replace(/^invalid [^"]*"(?:[^"\\]|\\.)*": /, ""));
    }
  }
  return null;
}

/** The typed value of one key, undefined when it has the wrong type or range, or a Refused entry. */
function convert(value: unknown, kind: Kind): unknown {
  switch (kind.type) {
    case "string":
      return typeof value === "string" ? value : undefined;
    case "bool":
      return typeof value === "boolean" ? value : undefined;
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= kind.min && value <= kind.max
        ? value
        : undefined;
    case "enum":
      return typeof value === "string" && kind.values.includes(value) ? value : undefined;
    case "size":
      if (typeof value === "number") return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
      if (typeof value !== "string") return undefined;
      try {
        return byteSize("event_log_max_size", value);
      } catch {
        return undefined;
      }
    case "time":
      // As the flags read them (a TOML number is a plain number: seconds); nmapTime refuses
      // negative, unitless-garbage and over-a-week values.
      if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) return undefined;
      try {
        return nmapTime("config", String(value));
      } catch {
        return undefined;
      }
    case "timing": {
      // -T's numbers and names alike; a name in any case, as the flag (and nmap) takes it.
      if (typeof value === "number") return Number.isInteger(value) && value >= 0 && value <= 5 ? value : undefined;
      const named = typeof value === "string" ? (TIMING_NAMES as readonly string[]).indexOf(value.toLowerCase()) : -1;
      return named >= 0 ? named : undefined;
    }
    case "ports":
      // Checked here, not when the scan is planned, so the error can name the file and line.
      if (typeof value !== "string") return undefined;
      try {
        parsePorts(value);
        return value;
      } catch {
        return undefined;
      }
    case "targets": {
      const list =
        typeof value === "string"
          ? value.split(",").filter((s) => s !== "")
          : Array.isArray(value) && value.every((v) => typeof v === "string")
            ? (value as string[])
            : undefined;
      return list === undefined ? undefined : (refusedTarget(list) ?? list);
    }
    case "paths":
      if (typeof value === "string") return [value];
      return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
  }
}

function shown(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
}

/**
 * Parses config.toml text into flag values. Unparsable TOML, an unknown section
 * or key, or a value of the wrong type is a UsageError naming file, line and key.
 */
export function parseConfig(text: string, file: string): FileValues {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const what = err.message.replace(/^Invalid TOML document: /, "").split("\n")[0];
      // The line itself is the offending value: the parser's words alone ("invalid value",
      // "trying to redefine an already defined table or value") did not say which key.
      const line = (text.split(/\r?\n/)[err.line - 1] ?? "").trim();
      throw invalid("config line", line, what ?? "not TOML", `${file}:${err.line}:${err.column}`);
    }
    throw err;
  }
  const out: FileValues = {};
  for (const [section, table] of Object.entries(doc)) {
    const keys = KEYS[section];
    const where = `${file}:${configKeyLine(text, null, section)}`;
    if (keys === undefined || typeof table !== "object" || table === null || Array.isArray(table)) {
      const known = Object.keys(KEYS).map((s) => `[${s}]`).join(", ");
      throw invalid("config key", section, `unknown ${keys === undefined ? "key" : "value"}; the sections are ${known}`, where);
    }
    for (const [key, value] of Object.entries(table)) {
      const spec = keys[key];
      const at = `${file}:${configKeyLine(text, section, key)}`;
      if (spec === undefined) {
        throw invalid("config key", `${section}.${key}`, `unknown key; [${section}] has ${Object.keys(keys).join(", ")}`, at);
      }
      const typed = convert(value, spec.kind);
      if (typed === undefined) throw invalid(`value for ${section}.${key}`, shown(value), describe(spec.kind), at);
      if (typed instanceof Refused) throw invalid(`value for ${section}.${key}`, typed.value, typed.why, at);
      (out as Record<string, unknown>)[spec.field] = typed;
    }
  }
  const technique = out.technique as string | undefined;
  if (technique?.endsWith("+udp")) Object.assign(out, { technique: technique.slice(0, -"+udp".length), withUdp: true });
  return out;
}

/** The fields that pick the ports; at most one may be set. */
const PORT_CHOICE = ["ports", "topPorts", "fast"] as const;

/** Reads a file's text; null when it does not exist. */
export type ReadText = (path: string) => string | null;

export const readTextFile: ReadText = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new UsageError(`cannot read config file ${JSON.stringify(path)}: ${systemErrorText(err)}`, { cause: err });
  }
};

/**
 * The default file is optional: a home the user cannot enter (HOME=/root under
 * `setpriv --reuid=nobody`, a setcap'd binary run by another user) means no file.
 * `--config FILE` stays strict.
 */
function readDefault(readText: ReadText, path: string): string | null {
  try {
    return readText(path);
  } catch (err) {
    const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === "EACCES" || code === "ENOTDIR") return null;
    throw err;
  }
}

/**
 * Flags > config file > defaults. The file is `--config FILE` (which must exist)
 * or `~/.prtip/config.toml` (optional). Everything is checked before a scan starts.
 */
export function resolveOptions(flags: ScanFlags, rt: Pick<Runtime, "env">, readText: ReadText = readTextFile): ResolvedOptions {
  const home = rt.env("HOME");
  let configFile: string | null = null;
  let configText = "";
  let file: FileValues = {};
  if (flags.config !== undefined) {
    configFile = expandHome(flags.config, home);
    const text = readText(configFile);
    if (text === null) throw invalid("config file", flags.config, "no such file");
    file = parseConfig(text, configFile);
    configText = text;
  } else if (home !== undefined && home !== "") {
    const candidate = join(home, ".prtip", "config.toml");
    const text = readDefault(readText, candidate);
    if (text !== null) {
      configFile = candidate;
      file = parseConfig(text, candidate);
      configText = text;
    }
  }
  const merged = { ...flags } as Record<string, unknown>;
  // -p, --top-ports and -F are one choice: a flag for any of them replaces the file's
  // choice whole, or `ports` in the file would make every -F a conflict.
  const flagPicksPorts = PORT_CHOICE.some((field) => flags[field] !== undefined);
  // So are -sS/-sT/-sU: each of them replaces the file's technique, UDP half included.
  const flagPicksTechnique = flags.technique !== undefined;
  for (const [field, value] of Object.entries(file)) {
    if (flagPicksPorts && (PORT_CHOICE as readonly string[]).includes(field)) continue;
    if (flagPicksTechnique && (field === "technique" || field === "withUdp")) continue;
    if (field !== "eventLogPattern" && merged[field] === undefined) merged[field] = value;
  }
  const m = merged as unknown as ScanFlags;
  // Paths from TOML (or an unexpanded `--excludefile=~/x`) never met a shell that expands `~`.
  if (m.excludeFiles !== undefined) m.excludeFiles = m.excludeFiles.map((f) => expandHome(f, home));
  const path = m.eventLog === undefined ? null : expandHome(m.eventLog, home);
  const suffix = file.eventLogPattern ?? null;
  for (const [what, pattern, key, fromFile] of [
    ["event log path", path, "event_log", flags.eventLog === undefined],
    ["event_log_pattern", suffix, "event_log_pattern", true],
  ] as const) {
    const problem = pattern === null ? null : patternProblem(pattern);
    const where = fromFile && configFile !== null ? `${configFile}:${configKeyLine(configText, "logging", key)}` : undefined;
    if (problem !== null) throw invalid(what, pattern, problem, where);
  }
  const FIELD = { rotation: "eventLogRotation", maxSize: "eventLogMaxSize", maxFiles: "eventLogMaxFiles", compression: "eventLogCompression" } as const;
  const fromFlag = (key: RotationKey) => flags[FIELD[key]] !== undefined;
  const where = (key: string) => (configFile === null ? undefined : `${configFile}:${configKeyLine(configText, "logging", key)}`);
  const { rotation, maxSize } = settleRotation(
    { path, rotation: m.eventLogRotation, maxSize: m.eventLogMaxSize, maxFiles: m.eventLogMaxFiles, compression: m.eventLogCompression },
    settingNames(fromFlag, where),
    fromFlag,
  );
  return {
    flags: m,
    logging: {
      path,
      rotation,
      maxSize,
      maxFiles: m.eventLogMaxFiles ?? null,
      compression: m.eventLogCompression ?? false,
      rotationSuffix: suffix,
    },
    progress: {
      enabled: m.progress ?? true,
      style: m.progressStyle ?? "compact",
      eta: m.eta ?? "multi",
      live: m.live ?? false,
    },
    configFile,
  };
}

import { invalid, UsageError } from "../errors.ts";
import {
  type Shard,
  type TargetPlan,
  type TimingTemplate,
  checkScanSize,
  choosePorts,
  planTargets,
  targetsInText,
  timingTemplate,
} from "../scan/index.ts";
import type { ScanFlags } from "./scan-flags.ts";

/** The scan command's flags, checked and resolved into what the engine needs. */
export interface ScanOptions {
  targets: TargetPlan;
  ports: number[];
  /** The technique asked for, or null for the default (SYN with privileges, else connect). */
  technique: "syn" | "connect" | "udp" | null;
  /** -sV, with --version-intensity. */
  serviceVersion: { intensity: number } | null;
  /** -O: guess each host's OS from its SYN-ACKs (needs the SYN technique). */
  osDetect: boolean;
  discovery: boolean;
  pingOnly: boolean;
  family: 4 | 6;
  timing: TimingTemplate;
  maxRetries: number;
  maxRate: number | null;
  minRate: number | null;
  seed: number | null;
  shard?: Shard;
  outputs: { normal?: string; grepable?: string; xml?: string; json?: string };
}

/** Reads a -iL / --excludefile file; `-` is stdin. Throws with the file's name. */
export type ReadList = (path: string, what: string) => Promise<string>;

export async function scanOptions(flags: ScanFlags, readList: ReadList): Promise<ScanOptions> {
  const include = [...flags.targets];
  if (flags.inputList !== undefined) include.push(...targetsInText(await readList(flags.inputList, "target list (-iL)")));
  const exclude = [...(flags.exclude ?? [])];
  if (flags.excludeFile !== undefined) exclude.push(...targetsInText(await readList(flags.excludeFile, "exclude file")));
  if (include.length === 0) throw new UsageError("no targets given: name at least one, e.g. prtip -sT 127.0.0.1 (see prtip --help)");
  const targets = planTargets(include, exclude);
  checkScanSize(targets, flags.confirmLarge === true);

  const pingOnly = flags.pingOnly === true;
  if (pingOnly && flags.ping === false) throw new UsageError("-sn and -Pn together would scan nothing: choose one");
  const ports = pingOnly ? [] : choosePorts({ ports: flags.ports, topPorts: flags.topPorts, fast: flags.fast });

  const timing = timingTemplate(flags.timing ?? 3);
  const maxRate = flags.maxRate ?? null;
  const minRate = flags.minRate ?? null;
  if (maxRate !== null && minRate !== null && minRate > maxRate) {
    throw invalid("--min-rate", String(minRate), `it is above --max-rate ${maxRate}`);
  }

  const all = flags.outputAll;
  const outputs = {
    normal: flags.outputNormal ?? (all !== undefined ? `${all}.nmap` : undefined),
    grepable: flags.outputGrepable ?? (all !== undefined ? `${all}.gnmap` : undefined),
    xml: flags.outputXml ?? (all !== undefined ? `${all}.xml` : undefined),
    json: flags.outputJson,
  };
  const toStdout = [...Object.values(outputs), flags.eventLog].filter((p) => p === "-").length;
  if (toStdout > 1) throw invalid("outputs", "-", "only one output (-oN/-oG/-oX/-oJ/--event-log) can go to stdout");

  return {
    targets,
    ports,
    technique: flags.technique ?? null,
    serviceVersion: flags.serviceVersion ? { intensity: flags.versionIntensity ?? 7 } : null,
    osDetect: flags.osDetect === true,
    discovery: flags.ping !== false,
    pingOnly,
    family: flags.ipv6 ? 6 : 4,
    timing,
    maxRetries: flags.maxRetries ?? timing.maxRetries,
    maxRate,
    minRate,
    seed: flags.seed ?? null,
    shard: flags.shard,
    outputs,
  };
}

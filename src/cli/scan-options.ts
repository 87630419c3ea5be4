import { invalid, UsageError } from "../errors.ts";
import {
  type Shard,
  type TargetPlan,
  type TimingTemplate,
  checkScanSize,
  choosePortLists,
  planTargets,
  targetsInText,
  timingTemplate,
} from "../scan/index.ts";
import { checkDistinctOutputs } from "./output-files.ts";
import type { ScanFlags } from "./scan-flags.ts";

/** The scan command's flags, checked and resolved into what the engine needs. */
export interface ScanOptions {
  targets: TargetPlan;
  /** The ports `technique` probes (the TCP ones in a combined scan). */
  ports: number[];
  /** The technique asked for, or null for the default (SYN with privileges, else connect). */
  technique: "syn" | "connect" | "udp" | null;
  /** -sS/-sT with -sU: the UDP ports, probed after the TCP ones in the same scan; null otherwise. */
  udpPorts: number[] | null;
  /** Lines for stderr before the scan starts (ports the chosen protocols leave out). */
  warnings: string[];
  /** -sV, with --version-intensity. */
  serviceVersion: { intensity: number } | null;
  /** -O: guess each host's OS from its SYN-ACKs (needs the SYN technique). */
  osDetect: boolean;
  discovery: boolean;
  pingOnly: boolean;
  /** -sL: list the targets and send nothing. */
  listScan: boolean;
  /** -r: hosts and ports in order, not permuted. */
  inOrder: boolean;
  family: 4 | 6;
  timing: TimingTemplate;
  /** --host-timeout in ms; null for none (no flag, or 0). */
  hostTimeoutMs: number | null;
  maxRetries: number;
  maxRate: number | null;
  minRate: number | null;
  seed: number | null;
  shard?: Shard;
  /** Every file named for each format: -oA base -oN other.nmap writes base.nmap and other.nmap, as nmap does. */
  outputs: { normal: string[]; grepable: string[]; xml: string[]; json: string[] };
}

/** Reads a -iL / --excludefile file; `-` is stdin. Throws with the file's name. */
export type ReadList = (path: string, what: string) => Promise<string>;

/** A list's name in messages: its path, or stdin for `-`. */
const listName = (path: string): string => (path === "-" ? "stdin" : path);

export async function scanOptions(flags: ScanFlags, readList: ReadList): Promise<ScanOptions> {
  const include = [...flags.targets];
  if (flags.inputList !== undefined) {
    include.push(...targetsInText(await readList(flags.inputList, "target list (-iL)"), listName(flags.inputList)));
  }
  const exclude = [...(flags.exclude ?? [])];
  for (const file of flags.excludeFiles ?? []) {
    exclude.push(...targetsInText(await readList(file, "exclude file"), listName(file)));
  }
  // An empty -iL file with no other target: the list is what the user has to look at.
  if (include.length === 0 && flags.inputList !== undefined) {
    throw invalid("target list (-iL)", listName(flags.inputList), "it holds no targets (blank lines and # comments only)");
  }
  if (include.length === 0) throw new UsageError("no targets given: name at least one, e.g. prtip -sT 127.0.0.1 (see prtip --help)");
  const targets = planTargets(include, exclude, flags.ipv6 ? 6 : 4);
  checkScanSize(targets, flags.confirmLarge === true);

  const pingOnly = flags.pingOnly === true;
  if (pingOnly && flags.ping === false) throw new UsageError("-sn and -Pn together would scan nothing: choose one");
  const listScan = flags.listScan === true;
  const { technique, ports, udpPorts, warnings } = chooseProtocols(flags, pingOnly || listScan);
  if (flags.inputList !== undefined && flags.targets.length > 0) warnings.unshift(listAndTargetsWarning(flags.inputList, flags.targets));

  const template = timingTemplate(flags.timing ?? 3);
  // --scan-delay replaces the template's delay, as in nmap (-T0's 5 minutes included).
  const timing = flags.scanDelayMs === undefined ? template : { ...template, scanDelayMs: flags.scanDelayMs };
  const maxRate = flags.maxRate ?? null;
  const minRate = flags.minRate ?? null;
  if (maxRate !== null && minRate !== null && minRate > maxRate) {
    throw invalid("--min-rate", String(minRate), `it is above --max-rate ${maxRate}`);
  }
  if (minRate !== null && flags.scanDelayMs !== undefined && flags.scanDelayMs > 0 && minRate > 1000 / flags.scanDelayMs) {
    throw invalid("--min-rate", String(minRate), `--scan-delay ${flags.scanDelayMs}ms allows at most ${1000 / flags.scanDelayMs} probes per second`);
  }

  const all = flags.outputAll;
  // nmap would write the hidden out/.nmap, out/.gnmap and out/.xml; "-" would be files named "-.nmap".
  if (all !== undefined && (all.endsWith("/") || all === "-")) {
    throw invalid("-oA base", all, all === "-" ? "-oA writes three files, so none can be stdout (use -oN - or -oG -)" : "it ends in /: -oA takes the files' name without extension, e.g. out/scan");
  }
  const named = (path: string | undefined, allExt?: string) => [
    ...(path === undefined ? [] : [path]),
    ...(all === undefined || allExt === undefined ? [] : [`${all}${allExt}`]),
  ];
  const outputs = {
    normal: named(flags.outputNormal, ".nmap"),
    grepable: named(flags.outputGrepable, ".gnmap"),
    xml: named(flags.outputXml, ".xml"),
    json: named(flags.outputJson),
  };
  const toStdout = [...Object.values(outputs).flat(), flags.eventLog].filter((p) => p === "-").length;
  if (toStdout > 1) throw invalid("outputs", "-", "only one output (-oN/-oG/-oX/-oJ/--event-log) can go to stdout");
  // Two writers on one file mangle it: each output, with the flag that named it, must have its own.
  checkDistinctOutputs([
    { flag: "-oN", path: flags.outputNormal },
    { flag: "-oG", path: flags.outputGrepable },
    { flag: "-oX", path: flags.outputXml },
    { flag: "-oJ", path: flags.outputJson },
    ...(all === undefined ? [] : [".nmap", ".gnmap", ".xml"].map((ext) => ({ flag: "-oA", path: `${all}${ext}` }))),
    { flag: "--event-log", path: flags.eventLog },
  ]);

  return {
    targets,
    ports,
    technique,
    udpPorts,
    warnings,
    serviceVersion: flags.serviceVersion ? { intensity: flags.versionIntensity ?? 7 } : null,
    osDetect: flags.osDetect === true,
    discovery: flags.ping !== false,
    pingOnly,
    listScan,
    inOrder: flags.portsInOrder === true,
    family: flags.ipv6 ? 6 : 4,
    timing,
    // nmap's 0 is no timeout at all.
    hostTimeoutMs: flags.hostTimeoutMs ? flags.hostTimeoutMs : null,
    maxRetries: flags.maxRetries ?? timing.maxRetries,
    maxRate,
    minRate,
    seed: flags.seed ?? null,
    shard: flags.shard,
    outputs,
  };
}

/**
 * -iL with targets on the command line: nmap 7.93 scans the list and ignores the others
 * unsaid. prtip scans both, as typed (dropping a target the user named is the surprise a
 * warning cannot undo), and says how an nmap run of the same line differs.
 */
function listAndTargetsWarning(list: string, targets: readonly string[]): string {
  const shown = targets.slice(0, 3).join(" ") + (targets.length > 3 ? ` … (${targets.length} targets)` : "");
  return `-iL ${listName(list)} with targets on the command line: prtip scans both; nmap 7.93 scans only the list and ignores ${shown}`;
}

/** nmap's "Duplicate port number(s) specified" in prtip's words, naming the first few. */
function againWarning(again: readonly number[]): string {
  const shown = again.slice(0, 5).join(",") + (again.length > 5 ? `,… (${again.length} ports)` : "");
  return `-p names port${again.length === 1 ? "" : "s"} ${shown} more than once (a repeat or overlapping ranges): each is scanned once`;
}

/**
 * The technique and each protocol's ports. A combined scan whose -p names ports of
 * one protocol only runs that one, and ports under the other protocol's prefix in
 * a single-protocol scan are left out, each with a warning, as nmap does.
 */
function chooseProtocols(flags: ScanFlags, pingOnly: boolean): Pick<ScanOptions, "technique" | "ports" | "udpPorts" | "warnings"> {
  const technique = flags.technique ?? null;
  if (pingOnly) return { technique, ports: [], udpPorts: null, warnings: [] };
  const udpOnly = technique === "udp";
  const both = flags.withUdp === true && !udpOnly;
  const lists = choosePortLists({ ports: flags.ports, topPorts: flags.topPorts, fast: flags.fast }, { tcp: !udpOnly, udp: udpOnly || both });
  const warnings: string[] = [];
  if (lists.ignored === "U") warnings.push("-p names UDP ports (U:) but -sU was not given: they are not scanned");
  if (lists.ignored === "T") warnings.push("-p names TCP ports (T:) but -sS or -sT was not given: they are not scanned");
  if (lists.again.length > 0) warnings.push(againWarning(lists.again));
  if (udpOnly) return { technique, ports: lists.udp, udpPorts: null, warnings };
  if (!both) return { technique, ports: lists.tcp, udpPorts: null, warnings };
  if (lists.tcp.length === 0) {
    warnings.push("-p names no TCP ports (only U: ones): the TCP scan is skipped");
    return { technique: "udp", ports: lists.udp, udpPorts: null, warnings };
  }
  if (lists.udp.length === 0) {
    warnings.push("-p names no UDP ports (only T: ones): the UDP scan (-sU) is skipped");
    return { technique, ports: lists.tcp, udpPorts: null, warnings };
  }
  return { technique, ports: lists.tcp, udpPorts: lists.udp, warnings };
}

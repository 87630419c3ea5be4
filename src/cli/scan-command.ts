import { readFileSync } from "node:fs";
import { CliError, UsageError, systemErrorText } from "../errors.ts";
import { DetectorChain, OsDetector, ProbeServiceDetector } from "../detect/index.ts";
import { EventBus, EventFactory, type StageName, type WarningIssued } from "../events/index.ts";
import { type OutputSinks, type ServiceProtocols, type TextSink, attachOutputs } from "../output/index.ts";
import { type ProgressHandle, attachProgress } from "../progress/index.ts";
import { monotonicClock, type Runtime, systemClock } from "../runtime/index.ts";
import {
  ConnectDiscovery,
  type HostDiscovery,
  ConnectTechnique,
  type Dial,
  netDial,
  type ScanControl,
  ScanEngine,
  HOST_TIMEOUT_CODE,
  type ScanPass,
  type ServiceDetector,
  type Technique,
  UdpTechnique,
  settleExcludes,
} from "../scan/index.ts";
import { VERSION } from "./help.ts";
import { dnsResolver } from "./resolver.ts";
import type { ScanFlags } from "./scan-flags.ts";
import { canCapture, checkLibpcapOverride, checkSynEnvironment, loopbackOnlyWithoutInjection, openSynTechnique } from "./syn-setup.ts";
import { type FileSink, checkOutputFile, sinkForPaths } from "./output-files.ts";
import { resolveOptions } from "./config.ts";
import { checkEventLogPath, startEventLog, streamEventsTo } from "./event-log-setup.ts";
import { SIGNAL_EXIT_CODE, type TerminationSignal } from "./shutdown.ts";
import { type ScanOptions, scanOptions } from "./scan-options.ts";
import { WarningPrinter } from "./warning-printer.ts";
import { checkLiveTerminal, progressOutput } from "./progress-output.ts";
import { runListScan } from "./list-scan.ts";
import { settleTargetNames } from "./target-names.ts";
import { checkServicesFile, scanPortNamer } from "./service-names.ts";
import { tapLines } from "../progress/tui/stderr-tap.ts";

async function readStdin(rt: Runtime): Promise<string> {
  return await new Response(rt.stdin()).text();
}

function readListFrom(rt: Runtime) {
  return async (path: string, what: string): Promise<string> => {
    if (path === "-") return readStdin(rt);
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      throw new UsageError(`cannot read ${what} ${JSON.stringify(path)}: ${systemErrorText(err)}`);
    }
  };
}

const connectDiscovery = (opts: ScanOptions, dial: Dial) => new ConnectDiscovery({ concurrency: opts.timing.parallelism, clock: monotonicClock, dial });

interface Chosen {
  technique: Technique;
  scanType: "Connect" | "Syn" | "Udp";
  /** Raw-packet discovery when the technique holds capture handles; connect discovery otherwise. */
  discovery?: HostDiscovery;
  /** Why the scan runs without SYN, for -O (which reads SYN-ACKs) to say. */
  withoutSyn?: string;
}

const LOOPBACK_DROPS_SYN = "Linux drops SYN probes injected on lo from 127.0.0.0/8 unless net.ipv4.conf.lo.route_localnet and accept_local are 1";

async function chooseTechnique(opts: ScanOptions, rt: Runtime, dial: Dial, mayDropRoot: boolean): Promise<Chosen> {
  const connect = (withoutSyn: string): Chosen => ({
    technique: new ConnectTechnique({
      dial,
      concurrency: Math.min(4096, Math.max(opts.timing.parallelism, Math.ceil((opts.minRate ?? 0) / 50))),
      minTimeoutMs: opts.timing.minTimeoutMs,
      maxTimeoutMs: opts.timing.maxTimeoutMs,
      clock: monotonicClock,
    }),
    scanType: "Connect",
    withoutSyn,
  });
  if (opts.technique === "connect") return connect("-sT was asked for");
  if (opts.technique === "udp") return { technique: await udpTechnique(rt), scanType: "Udp", withoutSyn: "-sU was asked for" };
  if (!canCapture(rt)) {
    // Without privileges connect is simply the default, as in nmap: say so only to whoever asked for -sS.
    if (opts.technique === "syn") rt.stderr.write("prtip: SYN scan (-sS) needs root or CAP_NET_RAW; using connect scan (-sT)\n");
    return connect("that needs root or CAP_NET_RAW");
  }
  if (loopbackOnlyWithoutInjection(opts.targets)) {
    // nmap answers here through raw sockets; SYN from prtip would call every
    // 127.0.0.0/8 port filtered. With other targets too, -sS stays SYN (hosts.ts warns).
    if (opts.technique === "syn") rt.stderr.write(`prtip: ${LOOPBACK_DROPS_SYN}; using connect scan (-sT)\n`);
    return connect(`on 127.0.0.0/8 prtip scans with connect: ${LOOPBACK_DROPS_SYN}`);
  }
  const syn = await openSynTechnique(rt, {
    dropPrivileges: mayDropRoot,
    fingerprint: opts.osDetect,
    warn: (line) => rt.stderr.write(`prtip: warning: ${line}\n`),
    loopbackDiscovery: connectDiscovery(opts, dial),
  });
  if ("fallback" in syn) {
    rt.stderr.write(`prtip: ${syn.fallback}; using connect scan (-sT)\n`);
    return connect("the SYN scan could not start");
  }
  return { technique: syn.technique, scanType: "Syn", discovery: syn.discovery };
}

/** -sU needs no privileges: a connected UDP socket per probe. */
async function udpTechnique(rt: Runtime): Promise<Technique> {
  // Deno's node:dgram hides ICMP port unreachables, so closed ports need libc's socket there.
  const exchange = rt.name === "deno" ? (await import("../runtime/deno-udp.ts")).denoUdpExchange : undefined;
  return new UdpTechnique(exchange ? { exchange } : {});
}

/** -sV and -O as the engine's detection stage; -O records SYN-ACKs as the technique reports them. */
function detectionFor(opts: ScanOptions, chosen: Chosen, rt: Runtime, noted: ServiceProtocols): { technique: Technique; detector: ServiceDetector | null } {
  const detectors: ServiceDetector[] = [];
  let technique = chosen.technique;
  if (opts.serviceVersion) {
    detectors.push(new ProbeServiceDetector(chosen.scanType === "Udp" ? "Udp" : "Tcp", { intensity: opts.serviceVersion.intensity }, noted));
  }
  if (opts.osDetect) {
    if (chosen.scanType === "Syn") {
      const os = new OsDetector();
      technique = os.record(technique);
      detectors.push(os);
    } else {
      rt.stderr.write(`prtip: warning: OS detection (-O) reads SYN-ACKs and needs a SYN scan (-sS), but ${chosen.withoutSyn ?? "none runs"}; skipped\n`);
    }
  }
  const detector = detectors.length === 0 ? null : detectors.length === 1 ? detectors[0]! : new DetectorChain(detectors);
  return { technique, detector };
}

/** The display the flags ask for; the engine becomes the dashboard's pause/cancel control once built. */
function startProgress(
  bus: EventBus,
  flags: ScanFlags,
  opts: ScanOptions,
  rt: Runtime,
  engine: { current: ScanEngine | null },
  userCancelled: { value: boolean },
  earlierStderr: readonly string[],
): ProgressHandle {
  const { out, live } = progressOutput(flags.live === true, rt);
  // An asked-for --live that cannot be shown says why, once (the README: "--live").
  if (flags.live === true && flags.quiet) rt.stderr.write("prtip: --live shows no dashboard with -q (quiet: no progress at all)\n");
  else if (flags.live === true && !live) rt.stderr.write("prtip: --live shows no dashboard: standard output is not a terminal\n");
  const skipStages: StageName[] = [];
  if (!opts.discovery) skipStages.push("HostDiscovery");
  if (!opts.serviceVersion && !opts.osDetect) skipStages.push("ServiceDetection");
  const control: ScanControl = {
    pause: () => engine.current?.pause(),
    resume: () => engine.current?.resume(),
    get paused() {
      return engine.current?.paused ?? false;
    },
    cancel: (reason) => {
      userCancelled.value = true;
      engine.current?.cancel(reason);
    },
  };
  // Keys only from a terminal: with -iL - the standard input carries targets.
  const keys = live && rt.stdinIsTTY() ? readKeys(rt) : undefined;
  return attachProgress(
    bus,
    {
      style: flags.progressStyle,
      eta: flags.eta,
      live,
      quiet: flags.quiet,
      progress: flags.progress,
      isTTY: out.isTTY,
      noColor: (rt.env("NO_COLOR") ?? "") !== "",
      skipStages,
      serviceScan: opts.serviceVersion !== null,
    },
    {
      out,
      clock: systemClock,
      keys,
      setRawMode: (on) => rt.setRawMode(on),
      onSignal: rt.onSignal,
      control,
      stderr: rt.stderr,
      earlierStderr,
      portName: scanPortNamer(rt),
    },
  );
}

async function* readKeys(rt: Runtime): AsyncIterable<Uint8Array> {
  yield* rt.stdin();
}

/** The command line as typed, quoted where a shell would need it, for output headers. */
function commandLine(rt: Runtime): string {
  return ["prtip", ...rt.args()].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
}

/** `prtip [options] TARGET...`: validate, subscribe the outputs, run the engine. */
export async function runScan(given: ScanFlags, rt: Runtime): Promise<number> {
  // Flags > config file > defaults, all checked before anything starts.
  const resolved = resolveOptions(given, rt);
  // --live shows the warnings printed before it in its Warnings panel: note them from here on
  // (written as ever); the dashboard takes stderr over when it starts, a refused scan gives it back.
  const earlierStderr: string[] = [];
  const stopNoting = resolved.flags.live === true ? tapLines(rt.stderr, (line) => earlierStderr.push(line), true) : () => {};
  try {
    return await scan(resolved, rt, earlierStderr, stopNoting);
  } finally {
    stopNoting();
  }
}

async function scan(resolved: ReturnType<typeof resolveOptions>, rt: Runtime, earlierStderr: string[], stopNoting: () => void): Promise<number> {
  const flags = resolved.flags;
  checkLiveTerminal(flags.live === true && flags.quiet !== true, rt);
  const opts = await scanOptions(flags, readListFrom(rt));
  opts.targets = await settleExcludes(opts.targets, dnsResolver);
  // Every check before anything is created or truncated: a refused scan leaves the files it names as they were.
  await checkEventLogPath(resolved.logging.path, rt.env("HOME"));
  for (const path of Object.values(opts.outputs).flat()) if (path !== "-") checkOutputFile(path);
  checkServicesFile(rt);
  if (!opts.listScan && opts.technique !== "connect" && opts.technique !== "udp" && canCapture(rt)) {
    checkSynEnvironment(rt);
    await checkLibpcapOverride(rt);
  }
  // Names last (the only check that waits on the network), still before anything is opened:
  // a scan left with no target is refused here. -sL keeps resolving as it lists.
  if (!opts.listScan) opts.targets = await settleTargetNames(opts.targets, dnsResolver, opts.family);
  // -sL too: a list scan is where a target spec is checked, -iL's warning included.
  if (!flags.quiet) for (const line of opts.warnings) rt.stderr.write(`prtip: warning: ${line}\n`);
  if (opts.listScan) return runListScan(opts, rt, { commandLine: commandLine(rt), quiet: flags.quiet === true, verbosity: flags.verbosity });
  // Whole lines for stdout go through the progress display once it is up: written
  // straight to a terminal they were glued to the status line ("… ETA: 5s{"event":…}"),
  // and under --live they landed on the dashboard's screen and went with it.
  let display: ProgressHandle | null = null;
  const stdoutLines: TextSink = {
    write: (text) => (display !== null && text.endsWith("\n") ? display.printAbove(text, rt.stdout) : rt.stdout.write(text)),
  };
  const bus = new EventBus();
  const factory = new EventFactory();
  // The event log and the output files are opened while still root: the SYN setup below gives root up.
  const eventLog =
    resolved.logging.path === "-" ? streamEventsTo(bus, stdoutLines) : await startEventLog(bus, resolved, rt, factory);
  const files: FileSink[] = [];
  const sinkFor = (paths: readonly string[]) => sinkForPaths(paths, stdoutLines, files);
  try {
    let sinks: OutputSinks;
    try {
      sinks = {
        normal: sinkFor(opts.outputs.normal),
        grepable: sinkFor(opts.outputs.grepable),
        xml: sinkFor(opts.outputs.xml),
        json: sinkFor(opts.outputs.json),
      };
    } catch (err) {
      // Checked above, so only a race gets here: the log still ends with log_ended.
      await eventLog?.close();
      throw err;
    }
    // One stream on stdout: when an output file is "-", it replaces the table.
    const tableOnStdout = !Object.values(opts.outputs).flat().includes("-") && flags.eventLog !== "-";

    const dial: Dial = rt.name === "bun" ? (await import("../runtime/bun-dial.ts")).createBunDial() : netDial;
    // Rotation creates files during the scan, where root may have been needed: keep it then.
    const mayDropRoot = flags.dropPrivileges !== false && (resolved.logging.path === null || resolved.logging.rotation === "never");
    const chosen = await chooseTechnique(opts, rt, dial, mayDropRoot);
    const { scanType } = chosen;
    // Which protocol's detector found each service: a combined scan's 53/tcp and 53/udp are two rows.
    const serviceProtocols: ServiceProtocols = new WeakMap();
    const { technique, detector } = detectionFor(opts, chosen, rt, serviceProtocols);
    // -sS/-sT with -sU: UDP after TCP in the same scan, so one report, one log and one progress cover both.
    const udp: ScanPass | undefined = opts.udpPorts
      ? {
          technique: await udpTechnique(rt),
          ports: opts.udpPorts,
          detector: opts.serviceVersion ? new ProbeServiceDetector("Udp", { intensity: opts.serviceVersion.intensity }, serviceProtocols) : null,
        }
      : undefined;
    const engineRef: { current: ScanEngine | null } = { current: null };
    // Progress first: result lines on the terminal go through it so they never
    // land in the middle of a status line.
    const userCancelled = { value: false };
    stopNoting();
    const progress = startProgress(bus, flags, opts, rt, engineRef, userCancelled, earlierStderr);
    display = progress;
    if (tableOnStdout) sinks.screen = stdoutLines;
    // Filled in by the scan's name resolution: the reports say "localhost (127.0.0.1)" as nmap's do.
    const hostnames = new Map<string, string>();
    attachOutputs(bus, sinks, {
      version: VERSION,
      commandLine: commandLine(rt),
      scanType: scanType === "Syn" ? "syn" : scanType === "Udp" ? "udp" : "connect",
      protocol: scanType === "Udp" ? "udp" : "tcp",
      ports: opts.ports,
      udpPorts: opts.udpPorts ?? undefined,
      serviceProtocols,
      verbosity: flags.verbosity,
      serviceScan: opts.serviceVersion !== null,
      reason: flags.reason === true,
      quiet: flags.quiet === true,
      openOnly: flags.open === true,
      hostnames,
      portName: scanPortNamer(rt),
    });
    // Other subscribers (progress display, --event-log, --live with the engine as
    // its ScanControl) attach here, before the engine runs.
    const warnings = new WarningPrinter((line) => progress.printAbove(line, rt.stderr), flags.verbosity > 0 ? Infinity : 3);
    if (!flags.quiet) {
      bus.on({ types: ["WarningIssued"] }, (e) => {
        const w = e as WarningIssued;
        // The event log prints its own warnings (startEventLog): a full disk was printed twice.
        if (w.code.startsWith("event-log-")) return;
        // The report on stdout has nmap's "Skipping host … due to host timeout" line in the host's place.
        if (w.code === HOST_TIMEOUT_CODE && tableOnStdout) return;
        if (w.severity !== "low" || flags.verbosity > 0) warnings.warn(w.code, w.message);
      });
    }
    if (opts.shard && opts.discovery) {
      rt.stderr.write("prtip: warning: --shard with host discovery: shards agree only if every machine sees the same hosts up (-Pn avoids that)\n");
    }

    const engine = new ScanEngine(
      {
        targets: opts.targets,
        ports: opts.ports,
        scanType,
        technique,
        udp,
        discovery: opts.discovery
          ? chosen.discovery ?? connectDiscovery(opts, dial)
          : null,
        pingOnly: opts.pingOnly,
        detector,
        timing: opts.timing,
        hostTimeoutMs: opts.hostTimeoutMs ?? undefined,
        maxRetries: opts.maxRetries,
        maxRate: opts.maxRate,
        minRate: opts.minRate,
        // Shards must share an order, so sharding without --seed uses a fixed one.
        seed: opts.seed ?? (opts.shard ? 0 : crypto.getRandomValues(new Uint32Array(1))[0]!),
        shard: opts.shard,
        inOrder: opts.inOrder,
        family: opts.family,
        resolver: dnsResolver,
        // Two names for one address (localhost, localhost.localdomain) are one host: the first names it.
        onResolved: (name, address) => void (hostnames.has(address) || hostnames.set(address, name)),
      },
      // A log that falls behind the disk holds the scan at its checkpoints instead of growing without bound.
      { bus, factory, clock: monotonicClock, backpressure: eventLog?.logger ? () => eventLog.logger!.backpressure() : undefined },
    );
    engineRef.current = engine;
    // First SIGINT/SIGTERM: cancel, let every subscriber flush (ScanCancelled and
    // log_ended reach the log), exit 130/143. A second one exits at once.
    let signalled: TerminationSignal | null = null;
    const onSignal = (signal: TerminationSignal) => () => {
      if (signalled !== null) rt.exit(SIGNAL_EXIT_CODE[signal]);
      signalled = signal;
      engine.cancel(signal === "SIGINT" ? "interrupted by SIGINT" : "terminated by SIGTERM");
    };
    const stopInt = rt.onSignal("SIGINT", onSignal("SIGINT"));
    const stopTerm = rt.onSignal("SIGTERM", onSignal("SIGTERM"));
    try {
      const outcome = await engine.run();
      await progress.exited;
      warnings.summarize();
      const broken = files.find((f) => f.failed !== null);
      if (broken) throw new CliError(`cannot write output file ${JSON.stringify(broken.path)}: ${systemErrorText(broken.failed)}; it is incomplete`, 1);
      // Ctrl-C and the dashboard's q are the user's choice (130); anything else is a failure.
      if (outcome.cancelled) return signalled !== null ? SIGNAL_EXIT_CODE[signalled] : userCancelled.value ? 130 : 1;
      return 0;
    } finally {
      progress.close();
      await eventLog?.close();
      stopInt();
      stopTerm();
    }
  } finally {
    for (const f of files) f.close();
  }
}

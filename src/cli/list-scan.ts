import { CliError, systemErrorText } from "../errors.ts";
import { ListWriter } from "../output/index.ts";
import { monotonicClock, type Runtime, systemClock } from "../runtime/index.ts";
import { listTargets } from "../scan/index.ts";
import { VERSION } from "./help.ts";
import { type FileSink, sinkForPaths } from "./output-files.ts";
import { dnsResolver } from "./resolver.ts";
import type { ScanOptions } from "./scan-options.ts";

/**
 * -sL: each target as the scan would take it, excludes applied, in nmap's order, to the
 * screen and any -oN/-oG/-oX. No discovery, no probe, no reverse DNS: only names given
 * as targets are looked up. The event log stays closed: there is no scan to record.
 */
export async function runListScan(opts: ScanOptions, rt: Runtime, how: { commandLine: string; quiet: boolean; verbosity: number }): Promise<number> {
  const { commandLine, quiet, verbosity } = how;
  const files: FileSink[] = [];
  const sinkFor = (paths: readonly string[]) => sinkForPaths(paths, rt.stdout, files);
  try {
    const { normal, grepable, xml } = opts.outputs;
    const sinks = { normal: sinkFor(normal), grepable: sinkFor(grepable), xml: sinkFor(xml) };
    // One stream on stdout: an output sent to "-" replaces the screen's list.
    const screen = [...normal, ...grepable, ...xml].includes("-") ? undefined : rt.stdout;
    const writer = new ListWriter({ ...sinks, screen }, { version: VERSION, commandLine, verbosity });
    const began = monotonicClock.now();
    writer.start(systemClock.now());
    const hosts = listTargets(opts.targets, {
      resolver: dnsResolver,
      family: opts.family,
      onUnresolved: (name, why) => void (quiet || rt.stderr.write(`prtip: warning: failed to resolve "${name}": ${why}\n`)),
    });
    for await (const h of hosts) writer.host(h.address, h.name);
    writer.finish(systemClock.now(), monotonicClock.now() - began);
    const broken = files.find((f) => f.failed !== null);
    if (broken) throw new CliError(`cannot write output file ${JSON.stringify(broken.path)}: ${systemErrorText(broken.failed)}; it is incomplete`, 1);
    return 0;
  } finally {
    for (const f of files) f.close();
  }
}

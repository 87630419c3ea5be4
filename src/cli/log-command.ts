import { readdir, stat } from "node:fs/promises";
import {
  Anomalies,
  StrictStop,
  compileLineFilter,
  eventLines,
  diffLogs,
  diffNotes,
  renderDiff,
  ScanPick,
  SummaryPrinter,
  replay,
  runFilter,
  summarize,
  readsFromEnd,
  tail,
} from "../analyze/index.ts";
import type { ByteWriter } from "../analyze/index.ts";
import { CliError, invalid, UsageError } from "../errors.ts";
import { type AnyEvent, EventBus } from "../events/index.ts";
import { exists, expandPaths, openLogSources, rotatedSet, withRotatedSets } from "../log/index.ts";
import type { ByteSource } from "../log/index.ts";
import { monotonicClock, systemClock } from "../runtime/index.ts";
import type { Runtime } from "../runtime/index.ts";
import { LOG_HELP } from "./log-help.ts";
import { parseLogArgs } from "./log-flags.ts";
import { checkLiveTerminal, progressOutput } from "./progress-output.ts";
import type { LogCommand } from "./log-flags.ts";

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * The sources in the order named, as cat reads its operands: each "-" is stdin at
 * its place (`a - b`), and the files between two of them are one group, a rotated
 * set among them put in log_started/continues order. Stdin is read once; a second
 * "-" finds it at its end, as cat's does. A name rotation made disappear
 * (scans.jsonl) stands for its set (rotated-set.ts).
 */
async function sources(given: readonly string[], rt: Runtime, following = false): Promise<ByteSource[]> {
  const paths = await withRotatedSets(given);
  for (const p of paths) {
    if (p === "-") continue;
    let noLogs = false;
    try {
      // A folder is listed later: one the user cannot read is named here, not as a bare EACCES.
      if ((await stat(p)).isDirectory()) {
        await readdir(p);
        noLogs = !following && (await expandPaths([p])).length === 0;
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const missing = code === "ENOENT" || code === "ENOTDIR";
      throw invalid("log file", p, missing ? "no such file or folder" : `cannot read it (${code ?? String(err)})`);
    }
    // Read as no lines, a wrong folder printed nothing and exited 0 (tail -f waits for its logs instead).
    if (noLogs) throw invalid("log folder", p, "holds no logs (*.jsonl, *.ndjson, *.log, *.json, or those .gz)");
  }
  const groups: string[][] = [[]];
  for (const p of paths) {
    if (p !== "-") groups[groups.length - 1]!.push(p);
    else if (!groups.some((g) => g[0] === "-")) groups.push(["-"], []);
  }
  const stdin = () => rt.stdin() as unknown as AsyncIterable<Uint8Array>;
  const opened = await Promise.all(groups.filter((g) => g.length > 0).map((g) => openLogSources(g, { stdin })));
  return opened.flat();
}

/**
 * `tail -f` started before the scan that writes its file: waits for each missing
 * path (nor its .gz, nor a rotated set of it) to appear, as `tail -F` does, saying so once on stderr.
 * False when interrupted first.
 */
async function appeared(paths: readonly string[], rt: Runtime, signal: AbortSignal): Promise<boolean> {
  for (const p of paths) {
    const there = async () => (await exists(p)) || (await exists(`${p}.gz`)) || (await rotatedSet(p)).length > 0;
    if (p === "-" || (await there())) continue;
    rt.stderr.write(`prtip: waiting for ${p}\n`);
    while (!signal.aborted && !(await there())) await sleep(WAIT_MS, signal);
  }
  return !signal.aborted;
}

// How often a missing file is looked for: tail's follow polls its file as often.
const WAIT_MS = 250;

/** `prtip log …`: returns the exit code (0 clean, 3 skipped input, 1 strict stop, 130 interrupted). */
export async function runLog(argv: string[], rt: Runtime): Promise<number> {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    rt.stdout.write(LOG_HELP);
    return 0;
  }
  const cmd = parseLogArgs(argv, systemClock.now());
  const anomalies = new Anomalies((m) => rt.stderr.write(`prtip: ${m}\n`), cmd.strict);
  // Awaiting flush after each write holds the reading back while a slow reader
  // of our stdout catches up: memory stays bounded and nothing is lost at exit.
  const flush = rt.stdout.flush?.bind(rt.stdout);
  const out: ByteWriter = {
    write: (chunk) => {
      rt.stdout.write(chunk);
      return flush?.();
    },
  };
  const stop = new AbortController();
  const removeSignal = rt.onSignal("SIGINT", () => stop.abort());
  try {
    await execute(cmd, rt, out, anomalies, stop.signal, () => stop.abort());
    const unmatched = unmatchedScan(cmd);
    if (unmatched !== null && !stop.signal.aborted) rt.stderr.write(`prtip: ${unmatched}\n`);
  } catch (err) {
    if (err instanceof StrictStop) throw new CliError(`${err.message}; stopped there (--strict)`, 1);
    throw err;
  } finally {
    removeSignal();
    await flush?.();
  }
  anomalies.finish();
  return stop.signal.aborted ? 130 : anomalies.exitCode();
}

/**
 * A --scan-id that no line read had: said on stderr, so an empty answer is not
 * taken for a real one. Only lines of the selected events are seen by the pick.
 */
function unmatchedScan(cmd: LogCommand): string | null {
  // diff refuses it (an error), tail -f may see the scan start later.
  if (cmd.command === "diff" || (cmd.command === "tail" && cmd.follow)) return null;
  const pick = cmd.command === "summary" ? cmd.scanId : cmd.spec.scanId;
  if (pick === undefined || pick.matched !== undefined) return null;
  const among = cmd.command !== "summary" && cmd.spec.events !== undefined ? " among the selected events" : "";
  return `no scan in the input has an id starting with ${JSON.stringify(pick.prefix)}${among}`;
}

async function execute(
  cmd: LogCommand,
  rt: Runtime,
  out: ByteWriter,
  anomalies: Anomalies,
  signal: AbortSignal,
  abort: () => void,
): Promise<void> {
  switch (cmd.command) {
    case "filter":
      await runFilter(await sources(cmd.files, rt), { ...cmd, signal, note: (m) => rt.stderr.write(`prtip: ${m}\n`) }, out, anomalies);
      return;
    case "summary": {
      const printer = new SummaryPrinter(cmd.format);
      // A collection after each scan: its open ports and the text made of them are garbage by then,
      // and the next scan fills the memory they leave instead of growing the heap (1 GB log: ~110 MB, not ~165).
      const summary = await summarize(await sources(cmd.files, rt), anomalies, signal, async (scan) => {
        if (cmd.scanId !== undefined && !cmd.scanId.test(scan.scanId)) return;
        await out.write(printer.scan(scan));
        rt.collectGarbage?.();
      });
      await out.write(printer.end(summary));
      return;
    }
    case "diff": {
      const [a, b] = cmd.files as [string, string];
      const [pickA, pickB] = cmd.scanIds ?? [];
      const keep = (pick: ScanPick | undefined) => (pick === undefined ? undefined : (id: string | null) => pick.test(id));
      const d = await diffLogs(await sources([a], rt), await sources([b], rt), anomalies, { a: keep(pickA), b: keep(pickB) });
      // A side with no line of its scan would diff against nothing: every port "opened" or "closed".
      for (const [side, pick, file] of [["A", pickA, a], ["B", pickB, b]] as const) {
        if (pick !== undefined && pick.matched === undefined) throw new UsageError(`invalid --scan-id ${JSON.stringify(pick.prefix)} for ${side}: no scan in ${file} has an id starting with it`);
      }
      for (const note of diffNotes(d, { a, b }, cmd.verbose)) rt.stderr.write(`prtip: ${note}\n`);
      await out.write(renderDiff(d, cmd.json, cmd.verbose));
      return;
    }
    case "tail": {
      if (cmd.follow && !(await appeared(cmd.files, rt, signal))) return;
      // Followed by the name its scan was given (scans.jsonl) after rotation had gzipped that file: start at its .gz.
      const files = cmd.follow ? await Promise.all(cmd.files.map(async (p) => (p !== "-" && !(await exists(p)) && (await exists(`${p}.gz`)) ? `${p}.gz` : p))) : cmd.files;
      const srcs = await sources(files, rt, cmd.follow);
      const last = srcs[srcs.length - 1]?.name.replace(/\.gz$/, "");
      await tail(
        srcs,
        {
          lines: cmd.lines,
          follow: cmd.follow && last !== undefined && last !== "-",
          ...(last === undefined ? {} : { followPath: last }),
          keep: compileLineFilter(cmd.spec),
          fromEnd: readsFromEnd(cmd.spec, cmd.strict),
          sleep,
          signal,
        },
        out,
        anomalies,
      );
      return;
    }
    case "replay": {
      checkLiveTerminal(cmd.live, rt);
      // Loaded here: the progress display is replay's alone, and filter and summary start sooner without it.
      const { attachProgress, GateControl } = await import("../progress/index.ts");
      // The bus is the seam: the same progress display or --live dashboard as a live scan subscribes here.
      const bus = new EventBus({ history: 1000 });
      // p and q act on the replay: the pause is published like a live scan's, under the replayed scan's id.
      // Stamped with the replayed timeline's time, not today's, so elapsed and ETA stay on that timeline.
      let scanId = "00000000-0000-4000-8000-000000000000";
      let replayedAt = systemClock.now();
      bus.on({}, (e) => {
        scanId = e.scan_id ?? scanId;
        replayedAt = e.timestamp ?? replayedAt;
      });
      const control = (event: "ScanPaused" | "ScanResumed", fields: Record<string, unknown>) =>
        bus.publish({ event, scan_id: scanId, ...fields, seq: 0, timestamp: replayedAt } as unknown as AnyEvent);
      const gate = new GateControl(systemClock, {
        onPause: () => control("ScanPaused", { reason: "user_requested" }),
        onResume: (paused_seconds) => control("ScanResumed", { paused_seconds }),
        onCancel: () => abort(),
      });
      const shown = progressOutput(cmd.live, rt);
      const progress = attachProgress(
        bus,
        {
          style: cmd.progressStyle,
          eta: cmd.eta,
          live: shown.live,
          progress: cmd.progress && !cmd.emit,
          isTTY: shown.out.isTTY,
          noColor: (rt.env("NO_COLOR") ?? "") !== "",
        },
        {
          out: shown.out,
          clock: systemClock,
          keys: shown.live && rt.stdinIsTTY() ? rt.stdin() : undefined,
          setRawMode: (on) => rt.setRawMode(on),
          onSignal: rt.onSignal,
          control: gate,
        },
      );
      const live = progress.mode === "live";
      // Under --live the dashboard is the output; otherwise each event is a line (JSONL with --emit).
      // --emit writes each line as the log has it (replay's onPublished): the bus's copy is renumbered from seq 1.
      const describe = eventLines();
      using _printer = live || cmd.emit ? null : bus.on({}, (e) => progress.printAbove(describe(e) + "\n", rt.stdout), "text");
      let result;
      try {
        result = await replay(await sources(cmd.files, rt), bus, anomalies, {
          speed: cmd.speed,
          ...(cmd.maxGapMs === undefined ? {} : { maxGapMs: cmd.maxGapMs }),
          ...(cmd.from === undefined ? {} : { from: cmd.from }),
          ...(cmd.to === undefined ? {} : { to: cmd.to }),
          keep: compileLineFilter(cmd.spec),
          ...(cmd.emit && !live ? { onPublished: (text: string) => progress.printAbove(text + "\n", rt.stdout) } : {}),
          clock: { now: () => monotonicClock.now(), sleep },
          signal,
          gate,
        });
        // The recorded scan has ended; the dashboard stays until the user presses q.
        if (!signal.aborted) await progress.exited;
      } finally {
        progress.close();
      }
      if (result.rejected > 0) rt.stderr.write(`prtip: the bus rejected ${result.rejected} replayed events (validation)\n`);
      return;
    }
  }
}

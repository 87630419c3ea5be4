import { resolve } from "node:path";
import { CliError, invalid, refusedPathExitCode, systemErrorText } from "../errors.ts";
import { encodeEvent, type EventBus, type EventFactory } from "../events/index.ts";
import { EventLogger, logEndedLine, logStartedLine, nodeLogFs, uncreatableFolder } from "../log/index.ts";
import type { EventLoggerOptions } from "../log/index.ts";
import { systemClock } from "../runtime/index.ts";
import type { Clock, Output, Runtime } from "../runtime/index.ts";
import type { LoggingOptions, ResolvedOptions } from "./config.ts";

export interface EventLogHandle {
  /** Null for the stdout stream of `--event-log -`. */
  readonly logger: EventLogger | null;
  /** Writes what is buffered and log_ended, waits for compression; idempotent. */
  close(): Promise<void>;
}

/**
 * Refuses (exit 2) an event log path whose folder is missing where prtip does not
 * create folders (log-folders.ts uncreatableFolder): checked with the output
 * files, before any of them or the log is touched.
 */
export async function checkEventLogPath(path: string | null, home: string | undefined, cwd = resolve(".")): Promise<void> {
  if (path === null || path === "-") return;
  const missing = await uncreatableFolder(nodeLogFs, path, { cwd, home });
  if (missing === null) return;
  throw invalid(
    "event log path",
    path,
    `folder ${JSON.stringify(missing)} does not exist (prtip creates time-coded folders such as %Y/%m, the log's own folder in an existing one, and folders inside the current or home folder)`,
  );
}

/** Test seams: everything else comes from the options. */
export type EventLogDeps = Partial<Pick<EventLoggerOptions, "clock" | "fs" | "timer" | "gzip">>;

/**
 * Opens the event log the options ask for (null when they ask for none) and
 * subscribes it to every event on `bus`. Its warnings (torn tail repaired,
 * write failed) go to stderr and onto the bus as WarningIssued, so they are in
 * the log too. An unopenable log is a CliError before the scan starts: exit 2 for a path
 * that cannot be a log (a folder, a missing folder, not a prtip log), 1 for a full disk.
 */
export async function startEventLog(
  bus: EventBus,
  options: ResolvedOptions | LoggingOptions,
  rt: Pick<Runtime, "stderr" | "gzip">,
  factory: EventFactory,
  deps: EventLogDeps = {},
): Promise<EventLogHandle | null> {
  const logging = "logging" in options ? options.logging : options;
  if (logging.path === null) return null;
  let logger: EventLogger;
  // Warnings from the open (a repaired torn tail) wait until the logger listens, so they are logged too.
  let early: (() => void)[] | null = [];
  try {
    logger = await EventLogger.open({
      path: logging.path,
      rotation: logging.rotation,
      maxSize: logging.maxSize ?? undefined,
      maxFiles: logging.maxFiles,
      compression: logging.compression,
      rotationSuffix: logging.rotationSuffix ?? undefined,
      clock: deps.clock ?? systemClock,
      fs: deps.fs,
      timer: deps.timer,
      gzip: deps.gzip ?? rt.gzip,
      warn(code, message, severity) {
        rt.stderr.write(`prtip: warning: ${message}\n`);
        const publish = () => void bus.publish(factory.make("WarningIssued", { message, severity, code }));
        if (early !== null) early.push(publish);
        else publish();
      },
    });
  } catch (err) {
    throw new CliError(`cannot open event log ${JSON.stringify(logging.path)}: ${systemErrorText(err)}`, refusedPathExitCode(err), { cause: err });
  }
  logger.attach(bus);
  const waiting = early;
  early = null;
  for (const publish of waiting) publish();
  return { logger, close: () => logger.close() };
}

/**
 * `--event-log -`: the same lines on stdout as they happen, framed like a file
 * (log_started first, log_ended last), unbuffered so a pipe sees each at once.
 */
export function streamEventsTo(bus: EventBus, out: { write(text: string): void }, clock: Clock = systemClock): EventLogHandle {
  out.write(logStartedLine(clock.now()) + "\n");
  let events = 0;
  const listener = bus.on({}, (e) => {
    events++;
    out.write(encodeEvent(e) + "\n");
  });
  let closed = false;
  return {
    logger: null,
    close: async () => {
      if (closed) return;
      closed = true;
      listener.close();
      out.write(logEndedLine(clock.now(), events, 0) + "\n");
    },
  };
}

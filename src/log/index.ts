// Public entry of the event log writer. (The streaming reader lives beside it, in reader*.ts.)
export { EventLogger, realTimer } from "./event-logger.ts";
export type { EventLoggerOptions, EventLoggerStats, Every, Warn, WarningSeverity } from "./event-logger.ts";
export { LineEncoder } from "./line-encoder.ts";
export { logStartedLine, logEndedLine, LOG_FORMAT_VERSION } from "./framing.ts";
export { nodeLogFs } from "./log-fs.ts";
export type { LogFs } from "./log-fs.ts";
export { compressFile, zlibGzip } from "./compress.ts";
export type { Gzip } from "./compress.ts";
export { pruneLogs } from "./prune.ts";
export { uncreatableFolder } from "./log-folders.ts";
export { repairTornTail } from "./tail-repair.ts";
export {
  expandHome,
  checkPattern,
  patternProblem,
  hasTimeCodes,
  formatPattern,
  periodStart,
  periodEnd,
  rotationPattern,
  withIndex,
  nameMatcher,
} from "./path-pattern.ts";
export type { Rotation, TimeRotation } from "./path-pattern.ts";
export { exists, rotatedSet, withRotatedSets } from "./rotated-set.ts";
// The streaming reader.
export { openLogSources, readLines, fileSource, streamSource, MAX_LINE } from "./reader.ts";
export { expandPaths } from "./reader-order.ts";
export type { ByteSource, IssueSink, LineBatch, OpenOptions, ReadIssue } from "./reader.ts";

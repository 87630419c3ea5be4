// Queries over event logs: filter, summary, replay, tail, diff.
export { Anomalies, StrictStop } from "./anomalies.ts";
export { compileLineFilter, runFilter } from "./filter.ts";
export type { FilterFormat, FilterOptions } from "./filter.ts";
export { eventSet, parseCidr, parseCountBy, parsePorts, parseTimeBound, parseWhere } from "./filter-spec.ts";
export type { Cidr, FilterSpec, PortSet, WhereClause } from "./filter-spec.ts";
export { LogLine } from "./line.ts";
export type { ByteWriter } from "./output.ts";
export { summarize } from "./summary.ts";
export type { LogSummary, ScanSummary } from "./summary.ts";
export { SummaryPrinter, renderSummary } from "./summary-render.ts";
export type { SummaryFormat } from "./summary-render.ts";
export { replay } from "./replay.ts";
export type { ReplayClock, ReplayOptions, ReplayResult } from "./replay.ts";
export { tail } from "./tail.ts";
export type { TailOptions } from "./tail.ts";
export { diffLogs, diffNotes, renderDiff } from "./diff.ts";
export type { LogDiff } from "./diff.ts";
export { describeEvent } from "./describe.ts";

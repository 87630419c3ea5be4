// Reader exports (analyze branch). The EventLogger's exports are merged in by the lead.
export { openLogSources, readLines, fileSource, streamSource, MAX_LINE } from "./reader.ts";
export type { ByteSource, IssueSink, LineBatch, OpenOptions, ReadIssue } from "./reader.ts";

import { expect, test } from "bun:test";
import { withoutProgress } from "./harness.ts";

// The parity tests' view of an event log; pure, so checked here without running a scan.

const log = (progressLines: number, extra: string[] = []) => {
  const events = [
    '{"event":"ScanStarted","scan_id":"s","scan_type":"Connect","target_count":1,"port_count":1,"seq":1,"timestamp":"t"}',
    ...Array.from({ length: progressLines }, (_, i) => `{"event":"ProgressUpdate","scan_id":"s","stage":3,"percentage":${i},"seq":0,"timestamp":"t"}`),
    ...extra,
    '{"event":"ScanCompleted","scan_id":"s","seq":9,"timestamp":"t"}',
  ];
  return ['{"event":"log_started","timestamp":"t","version":"1.0"}', ...events, `{"event":"log_ended","timestamp":"t","events":${events.length}}`, ""].join("\n");
};

test("withoutProgress makes logs that differ only in their number of ProgressUpdate lines equal, log_ended's count included", () => {
  expect(withoutProgress(log(3))).toEqual(withoutProgress(log(4)));
  expect(withoutProgress(log(3)).at(-1)).toBe('{"event":"log_ended","timestamp":"t","events":2+progress}');
});

test("withoutProgress keeps every other line, so an event more still shows", () => {
  const retry = '{"event":"RetryScheduled","scan_id":"s","target":"127.0.0.1","port":1,"attempt":2,"delay_ms":0,"seq":2,"timestamp":"t"}';
  expect(withoutProgress(log(3, [retry]))).not.toEqual(withoutProgress(log(3)));
  expect(withoutProgress(log(3, [retry]))).toContain(retry);
  expect(withoutProgress(log(3, [retry])).at(-1)).toBe('{"event":"log_ended","timestamp":"t","events":3+progress}');
});

import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { run } from "../../src/cli/index.ts";
import { parseLogArgs } from "../../src/cli/log-flags.ts";
import type { FilterCommand, ReplayCommand } from "../../src/cli/log-flags.ts";
import { logTime, namedZone } from "../../src/cli/time-spec.ts";
import { fakeRuntime, sampleLog, T0, tempDir, text } from "../analyze/helpers.ts";

// Points in time for prtip log: a time typed without a zone is local time, as
// ISO 8601, GNU date -d and journalctl --since read it. The zone is pinned in
// every test (New York: UTC-5 in November, UTC-4 in July), whatever the machine's.

const NY = namedZone("America/New_York");
const since = (...args: string[]) => (parseLogArgs(["filter", ...args], T0, NY) as FilterCommand).spec;

describe("log times without a zone", () => {
  test("a time without Z or an offset is local time (TZ), as date -d and journalctl read it", () => {
    expect(logTime("--since", "2024-11-15T05:30:05", T0, NY)).toBe("2024-11-15T10:30:05.000Z");
    expect(logTime("--since", "2024-07-15T05:30", T0, NY)).toBe("2024-07-15T09:30:00.000Z");
    expect(logTime("--since", "2024-11-15", T0, NY)).toBe("2024-11-15T05:00:00.000Z");
    // With a zone, the zone given wins over the local one.
    expect(logTime("--since", "2024-11-15T05:30:05Z", T0, NY)).toBe("2024-11-15T05:30:05.000Z");
    expect(logTime("--since", "2024-11-15T05:30:05+01:00", T0, NY)).toBe("2024-11-15T04:30:05.000Z");
    expect(logTime("--since", "2024-11-15T05:30:05-0500", T0, NY)).toBe("2024-11-15T10:30:05.000Z");
  });

  test("the space form date prints (2024-11-15 10:30:05) is accepted, with or without a zone", () => {
    expect(since("--since", "2024-11-15 05:30:05").since).toBe("2024-11-15T10:30:05.000Z");
    expect(since("--since", "2024-11-15 10:30:05.250Z").since).toBe("2024-11-15T10:30:05.250Z");
    // date --rfc-3339=seconds
    expect(since("--since", "2024-11-15 05:30:05-05:00").since).toBe("2024-11-15T10:30:05.000Z");
  });

  test("the offset is the one in force at that time: either side of a DST change", () => {
    expect(logTime("--since", "2024-03-10T01:30", T0, NY)).toBe("2024-03-10T06:30:00.000Z");
    expect(logTime("--since", "2024-03-10T03:30", T0, NY)).toBe("2024-03-10T07:30:00.000Z");
  });

  test("an impossible date or time is refused with the value named, not rolled over", () => {
    for (const bad of ["2024-02-30", "2024-11-15T24:00", "2024-11-15T10:61", "2024-13-01", "2024-11-15 10:30 EST", "yesterday"]) {
      expect(() => logTime("--since", bad, T0, NY)).toThrow(`invalid time for --since ${JSON.stringify(bad)}`);
    }
  });

  test("spans back from now are unchanged", () => {
    expect(logTime("--since", "15m", T0, NY)).toBe("2024-11-15T10:15:00.000Z");
  });

  test("the prtip process reads a zone-less --since in the TZ of its environment", () => {
    const t = tempDir();
    try {
      const file = t.file("s.jsonl", text(sampleLog()));
      const count = (tz: string) =>
        Bun.spawnSync([process.execPath, join(import.meta.dir, "../../src/main.ts"), "log", "filter", "--count", "--since", "2024-11-15 05:30:00.010", file], {
          env: { ...process.env, TZ: tz },
        });
      const ny = count("America/New_York");
      expect({ code: ny.exitCode, out: ny.stdout.toString(), err: ny.stderr.toString() }).toEqual({ code: 0, out: "7\n", err: "" });
      // 05:30 UTC: every event of the log is later.
      expect(count("UTC").stdout.toString()).toBe("17\n");
    } finally {
      t.cleanup();
    }
  });
});

describe("empty time windows", () => {
  async function prtip(args: string[]) {
    const rt = fakeRuntime(new TextEncoder().encode(text(sampleLog())));
    const code = await run(args, rt);
    return { code, out: rt.out(), err: rt.err() };
  }

  test("--since later than --until is a usage error naming both values", async () => {
    expect(await prtip(["log", "filter", "--count", "--since", "2024-11-15T10:30:07Z", "--until", "2024-11-15T10:30:05Z"])).toEqual({
      code: 2,
      out: "",
      err: 'prtip: invalid time window: --since "2024-11-15T10:30:07Z" is after --until "2024-11-15T10:30:05Z", so nothing could match\n',
    });
    for (const sub of ["tail", "replay"]) expect((await prtip(["log", sub, "--since", "2024-11-15T10:30:07Z", "--until", "2024-11-15T10:30:05Z"])).code).toBe(2);
  });

  test("replay --from after --to is a usage error naming both values", async () => {
    const { code, out, err } = await prtip(["log", "replay", "--speed", "max", "--emit", "--from", "2024-11-15T10:30:07Z", "--to", "2024-11-15T10:30:05Z"]);
    expect({ code, out }).toEqual({ code: 2, out: "" });
    expect(err).toContain('--from "2024-11-15T10:30:07Z"');
    expect(err).toContain('is after --to "2024-11-15T10:30:05Z"');
  });

  test("equal bounds are an empty window too; a window of one millisecond is not", () => {
    expect(() => parseLogArgs(["filter", "--since", "2024-11-15T10:30:05Z", "--until", "2024-11-15T10:30:05Z"], T0)).toThrow("is the same time as --until");
    expect((parseLogArgs(["replay", "--from", "2024-11-15T10:30:05Z", "--to", "2024-11-15T10:30:05.001Z"], T0) as ReplayCommand).to).toBe("2024-11-15T10:30:05.001Z");
  });

  test("a zone-less bound is shown with the UTC time it was read as", () => {
    expect(() => parseLogArgs(["filter", "--since", "2024-11-15 06:00", "--until", "2024-11-15T10:30:00Z"], T0, NY)).toThrow(
      'invalid time window: --since "2024-11-15 06:00" (2024-11-15T11:00:00.000Z) is after --until',
    );
  });
});

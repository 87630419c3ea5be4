import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { Anomalies, parseCidr, parsePorts, parseTimeBound, parseWhere, runFilter, ScanPick } from "../../src/analyze/index.ts";
import type { FilterOptions, FilterSpec } from "../../src/analyze/index.ts";
import { openLogSources } from "../../src/log/index.ts";
import { SCAN_A, SCAN_B, T0, chunked, ev, gz, port, sampleLog, tempDir, text } from "./helpers.ts";

const LOG = sampleLog();
const BYTES = new TextEncoder().encode(text(LOG));

async function filter(spec: FilterSpec, extra: Partial<FilterOptions> = {}, input: Uint8Array = BYTES) {
  const out: string[] = [];
  const dec = new TextDecoder();
  const issues: string[] = [];
  const anomalies = new Anomalies((m) => issues.push(m));
  const sources = await openLogSources(["-"], { stdin: () => chunked(input, [61]) });
  const n = await runFilter(sources, { spec, format: "lines", count: false, ...extra }, { write: (c) => void out.push(typeof c === "string" ? c : dec.decode(c)) }, anomalies);
  return { n, out: out.join(""), lines: out.join("").split("\n").filter((l) => l !== ""), issues, anomalies };
}

const names = (lines: readonly string[]) => lines.map((l) => (JSON.parse(l) as { event: string }).event);

describe("log filter", () => {
  test("filter --event keeps only PortFound lines, byte for byte", async () => {
    const { lines, n } = await filter({ events: new Set(["PortFound"]) });
    expect(lines).toEqual(LOG.filter((l) => l.startsWith('{"event":"PortFound"')));
    expect(n).toBe(4);
  });

  test("filter with no selection prints every event line but no framing lines", async () => {
    const { lines } = await filter({});
    expect(lines).toEqual(LOG.slice(1, -1));
  });

  test("--category discovery keeps HostDiscovered, PortFound and IPv6PortFound", async () => {
    const { lines } = await filter({ events: new Set(["HostDiscovered", "PortFound", "IPv6PortFound"]) });
    expect(new Set(names(lines))).toEqual(new Set(["HostDiscovered", "PortFound", "IPv6PortFound"]));
  });

  test("--scan-id keeps one scan of several", async () => {
    const log = [...LOG, port(50, "198.18.5.5", 25, "Open", SCAN_B)];
    const { lines } = await filter({ scanId: new ScanPick(SCAN_B) }, {}, new TextEncoder().encode(text(log)));
    expect(lines).toEqual([log[log.length - 1]!]);
  });

  test("--since and --until bound by timestamp (since inclusive, until exclusive)", async () => {
    const { lines } = await filter({ since: parseTimeBound("--since", "2024-11-15T10:30:00.003Z", 0), until: parseTimeBound("--until", "2024-11-15T10:30:00.005Z", 0) });
    expect(lines).toEqual([LOG[4]!, LOG[5]!]);
  });

  test("a relative --since counts back from the injected now", () => {
    expect(parseTimeBound("--since", "15m", T0)).toBe("2024-11-15T10:15:00.000Z");
    expect(parseTimeBound("--since", "2024-11-15", T0)).toBe("2024-11-15T00:00:00.000Z");
    expect(() => parseTimeBound("--since", "yesterday", T0)).toThrow('invalid time for --since "yesterday"');
  });

  test("--target CIDR matches target and ip, IPv4 and IPv6", async () => {
    const v4 = await filter({ targets: [parseCidr("198.18.0.0/24")] });
    expect(v4.lines.every((l) => l.includes('"198.18.0.'))).toBe(true);
    expect(names(v4.lines)).toContain("HostDiscovered");
    expect(v4.lines.some((l) => l.includes("198.18.1.9"))).toBe(false);
    const v6 = await filter({ targets: [parseCidr("2001:db8::/32")] });
    expect(names(v6.lines)).toEqual(["IPv6PortFound"]);
    expect(() => parseCidr("198.18.0.0/33")).toThrow('invalid target "198.18.0.0/33"');
  });

  test("--port takes lists and ranges", async () => {
    const { lines } = await filter({ ports: parsePorts("22,440-450") });
    expect(lines.map((l) => (JSON.parse(l) as { port: number }).port).sort()).toEqual([22, 22, 22, 22, 443]);
    expect(() => parsePorts("70000-80")).toThrow('invalid port range "70000-80"');
  });

  test("--where =, !=, >, <, ~ and dotted paths", async () => {
    const w = async (...exprs: string[]) => (await filter({ where: exprs.map(parseWhere) })).lines;
    expect(names(await w("state=Open"))).toEqual(["PortFound", "PortFound", "PortFound", "IPv6PortFound"]);
    expect((await w("event=PortFound", "state!=Open")).length).toBe(1);
    expect(names(await w("pps>1000"))).toEqual(["ProgressUpdate"]);
    expect(names(await w("latency_ms<2"))).toEqual(["HostDiscovered"]);
    expect(names(await w("version~^OpenSSH"))).toEqual(["ServiceDetected"]);
    expect(names(await w("extra.depth.n=7"))).toEqual(["FutureThing"]);
    expect(names(await w("port=443"))).toEqual(["PortFound"]);
    expect(() => parseWhere("port>high")).toThrow("needs a number");
    expect(() => parseWhere("nothing")).toThrow('invalid --where expression "nothing"');
  });

  test("a line not written by our encoder (spaces, other key order) is still understood", async () => {
    const odd = `{ "scan_id": "${SCAN_A}", "event": "PortFound", "port": 22, "state": "Open", "timestamp": "2024-11-15T10:30:00.000Z" }`;
    const { lines } = await filter({ events: new Set(["PortFound"]), where: [parseWhere("state=Open")] }, {}, new TextEncoder().encode(odd + "\n"));
    expect(lines).toEqual([odd]);
  });

  test("unknown event types pass through untouched", async () => {
    const { lines } = await filter({ events: new Set(["FutureThing"]) });
    expect(lines).toEqual([LOG.find((l) => l.includes("FutureThing"))!]);
  });

  test("--count prints the number of matches", async () => {
    expect((await filter({ events: new Set(["PortFound"]) }, { count: true })).out).toBe("4\n");
  });

  test("--count-by port --top 1 gives the most frequent value first", async () => {
    const { out } = await filter({ events: new Set(["PortFound", "IPv6PortFound"]) }, { countBy: ["port"], top: 1 });
    expect(out).toBe("2 22\n");
  });

  test("--count-by with --format json is a JSON array of {FIELD, count} for jq, objects nested, absent values null", async () => {
    const ports = await filter({ events: new Set(["PortFound"]) }, { countBy: ["port"], format: "json" });
    expect(JSON.parse(ports.out)).toEqual([
      { port: 22, count: 2 },
      { port: 80, count: 1 },
      { port: 443, count: 1 },
    ]);
    const nested = await filter({ events: new Set(["FutureThing", "ScanStarted"]) }, { countBy: ["extra"], format: "json" });
    expect(JSON.parse(nested.out)).toEqual([
      { extra: null, count: 1 },
      { extra: { depth: { n: 7 } }, count: 1 },
    ]);
  });

  test("--count-by with --format csv and table has a header row naming the field", async () => {
    const spec = { events: new Set(["PortFound"]) };
    expect((await filter(spec, { countBy: ["target"], format: "csv" })).out).toBe("count,target\n2,198.18.0.1\n1,198.18.0.2\n1,198.18.1.9\n");
    expect((await filter(spec, { countBy: ["port"], format: "table", top: 2 })).out).toBe("COUNT  PORT\n    2  22\n    1  80\n");
  });

  test("--format csv has a header and one row per match, quoting commas and quotes", async () => {
    const { lines } = await filter({ events: new Set(["WarningIssued"]) }, { format: "csv" });
    expect(lines[0]).toBe("timestamp,event,scan_id,message,severity,code");
    expect(lines[1]).toBe(`2024-11-15T10:30:00.012Z,WarningIssued,${SCAN_A},"route ""lost""",low,host-unreachable`);
    expect(lines).toHaveLength(3);
  });

  test("--format csv without a type selection puts the other fields in details", async () => {
    const { lines } = await filter({ where: [parseWhere("event=HostDiscovered")] }, { format: "csv" });
    expect(lines).toEqual(["timestamp,event,scan_id,target,port,details", `2024-11-15T10:30:00.002Z,HostDiscovered,${SCAN_A},,,ip=198.18.0.1 method=TCP latency_ms=1.5`]);
  });

  test("--format json is one JSON array of the matching events", async () => {
    const { out } = await filter({ events: new Set(["PortFound"]) }, { format: "json" });
    expect((JSON.parse(out) as unknown[]).length).toBe(4);
  });

  test("--format table aligns columns under a header", async () => {
    const { lines } = await filter({ events: new Set(["PortFound"]) }, { format: "table" });
    expect(lines[0]).toMatch(/^TIMESTAMP\s+EVENT\s+SCAN_ID\s+TARGET\s+PORT\s+PROTOCOL\s+STATE\s+REASON$/);
    expect(lines).toHaveLength(5);
    expect(lines[1]!.indexOf("PortFound")).toBe(lines[0]!.indexOf("EVENT"));
  });

  test("a torn line with the next line appended to it is malformed; a nested event object is not", async () => {
    const torn = LOG[4]!.slice(0, 70) + LOG[5]!;
    const nested = `{"event":"Wrapper","scan_id":"${SCAN_A}","inner":{"event":"PortFound","port":1},"seq":1,"timestamp":"2024-11-15T10:30:00.000Z"}`;
    const { lines, anomalies, issues } = await filter({}, {}, new TextEncoder().encode(text([LOG[3]!, torn, nested])));
    expect(lines).toEqual([LOG[3]!, nested]);
    expect(anomalies.count).toBe(1);
    expect(issues).toEqual(["-:2: malformed line skipped"]);
  });

  test("malformed lines are skipped, counted and reported with file and line", async () => {
    const bad = [LOG[0]!, "not json", LOG[4]!, '{"event":"PortFound","scan_id":', "[1,2]", LOG[5]!].join("\n") + "\n";
    const { lines, issues, anomalies } = await filter({ events: new Set(["PortFound"]) }, {}, new TextEncoder().encode(bad));
    expect(lines).toEqual([LOG[4]!, LOG[5]!]);
    expect(anomalies.count).toBe(3);
    expect(issues).toEqual(["-:2: malformed line skipped", "-:4: malformed line skipped", "-:5: malformed line skipped"]);
  });
});

describe("log filter on lines damaged in the middle", () => {
  // Each keeps a valid start ({"event":"PortFound",...) and end (..."}) around the damage.
  const good = port(20, "198.18.0.7", 8080);
  const damaged = [
    good.replace('"port":8080', '"port":80#80'),
    good.replace('"target":"198.18.0.7"', '"target":"198.18"0.7"'),
    // The raw NUL bytes (not escapes) of a zero-filled block.
    good.replace('"protocol":"Tcp"', `"protocol":"T${"\0".repeat(3)}p"`),
    good.replace('"state":"Open",', '"state":"Open",,,'),
    // A piece cut out of the middle.
    good.slice(0, 75) + good.slice(100),
  ];
  const log = [LOG[0]!, LOG[4]!, ...damaged, LOG[5]!, LOG[3]!, LOG[LOG.length - 1]!];
  const input = new TextEncoder().encode(text(log));
  const firstBad = 3;
  const badLines = damaged.map((_, i) => `-:${firstBad + i}: malformed line skipped`);

  test("the damaged lines are JSON.parse errors (the premise)", () => {
    for (const line of damaged) {
      expect(line.startsWith('{"event":"PortFound",')).toBe(true);
      expect(line.endsWith('"}')).toBe(true);
      expect(() => JSON.parse(line)).toThrow();
    }
  });

  test("filter --event skips them, reports each with its line number, and passes the rest byte for byte", async () => {
    const { lines, issues, anomalies } = await filter({ events: new Set(["PortFound"]) }, {}, input);
    expect(lines).toEqual([LOG[4]!, LOG[5]!]);
    expect(issues).toEqual(badLines);
    expect(anomalies.count).toBe(damaged.length);
  });

  test("--count and --count-by leave them out of every tally", async () => {
    const count = await filter({ events: new Set(["PortFound"]) }, { count: true }, input);
    expect(count.out).toBe("2\n");
    expect(count.issues).toEqual(badLines);
    const byEvent = await filter({}, { countBy: ["event"] }, input);
    expect(byEvent.out).toBe("2 PortFound\n1 HostDiscovered\n");
    expect(byEvent.anomalies.count).toBe(damaged.length);
    const byPort = await filter({ events: new Set(["PortFound"]), where: [parseWhere("state=Open")] }, { countBy: ["port"] }, input);
    expect(byPort.out).toBe("1 22\n1 80\n");
    expect(byPort.anomalies.count).toBe(damaged.length);
  });

  test("table output skips them too", async () => {
    const { lines, anomalies } = await filter({ events: new Set(["PortFound"]) }, { format: "csv" }, input);
    expect(lines).toHaveLength(3);
    expect(anomalies.count).toBe(damaged.length);
  });

  test("JSON the encoder would not write (spaces, nesting) is not damage: it passes through untouched", async () => {
    const spaced = good.replace('"port":8080,', '"port": 8080 ,').replace('"state":"Open"', '"state":\t"Open"');
    const { lines, anomalies } = await filter({ events: new Set(["PortFound"]) }, {}, new TextEncoder().encode(text([spaced, LOG[4]!])));
    expect(lines).toEqual([spaced, LOG[4]!]);
    expect(anomalies.count).toBe(0);
  });

  test("a damaged line the filter passes over by name is not read, so not reported", async () => {
    const { lines, anomalies } = await filter({ events: new Set(["HostDiscovered"]) }, {}, input);
    expect(lines).toEqual([LOG[3]!]);
    expect(anomalies.count).toBe(0);
  });
});

describe("log filter over large files", () => {
  test("sparse matches many buffers apart come out intact (the reader reuses its buffers)", async () => {
    const t = tempDir();
    try {
      const filler = Array.from({ length: 30_000 }, (_, i) => ev("MetricRecorded", i, { metric: "rtt_ms", value: i }));
      const lines = [port(0, "198.18.0.1", 22), ...filler, port(1, "198.18.0.2", 23), ...filler, port(2, "198.18.0.3", 24)];
      const path = t.file("sparse.jsonl", text(lines));
      const out: string[] = [];
      const sink = { write: (c: string | Uint8Array) => void out.push(typeof c === "string" ? c : new TextDecoder().decode(c)) };
      await runFilter(await openLogSources([path]), { spec: { events: new Set(["PortFound"]) }, format: "lines", count: false }, sink, new Anomalies(() => {}));
      expect(out.join("")).toBe(text(lines.filter((l) => l.includes('"PortFound"'))));
    } finally {
      t.cleanup();
    }
  });
});

describe("log filter agrees with jq and grep", () => {
  const many = [
    ...Array.from({ length: 3000 }, (_, i) => port(i, `198.18.${(i * 7) & 15}.${(i * 13) & 255}`, [22, 80, 443, 8080][i % 4]!, i % 3 === 0 ? "Closed" : "Open")),
    ...Array.from({ length: 500 }, (_, i) => ev("HostDiscovered", i, { ip: `198.18.0.${i & 255}`, method: "ICMP", latency_ms: null })),
    ...Array.from({ length: 200 }, (_, i) => ev("WarningIssued", i, { message: `say "PortFound" ${i}`, severity: "low", code: "x" })),
  ].sort((a, b) => (a < b ? -1 : 1));

  test("counts agree with jq and grep on plain and .gz logs", async () => {
    const t = tempDir();
    try {
      const plain = t.file("m.jsonl", text(many));
      const packed = t.file("m.jsonl.gz", gz(text(many)));
      const jq = spawnSync("jq", ["-c", 'select(.event=="PortFound")', plain], { encoding: "utf8" }).stdout;
      const grep = Number(spawnSync("grep", ["-cF", '"event":"PortFound"', plain], { encoding: "utf8" }).stdout.trim());
      const jqOpen = spawnSync("jq", ["-r", 'select(.event=="PortFound" and .state=="Open") | .port', plain], { encoding: "utf8" }).stdout;
      for (const path of [plain, packed]) {
        const out: string[] = [];
        const sink = { write: (c: string | Uint8Array) => void out.push(typeof c === "string" ? c : new TextDecoder().decode(c)) };
        await runFilter(await openLogSources([path]), { spec: { events: new Set(["PortFound"]) }, format: "lines", count: false }, sink, new Anomalies(() => {}));
        expect(out.join("")).toBe(jq);
        expect(jq.split("\n").length - 1).toBe(grep);
        const counts: string[] = [];
        await runFilter(
          await openLogSources([path]),
          { spec: { events: new Set(["PortFound"]), where: [parseWhere("state=Open")] }, format: "lines", count: false, countBy: ["port"] },
          { write: (c) => void counts.push(String(c)) },
          new Anomalies(() => {}),
        );
        const fromJq = new Map<string, number>();
        for (const p of jqOpen.trim().split("\n")) fromJq.set(p, (fromJq.get(p) ?? 0) + 1);
        const ours = new Map(counts.join("").trim().split("\n").map((l) => { const [n, v] = l.trim().split(" "); return [v!, Number(n)]; }));
        expect(ours).toEqual(fromJq);
      }
    } finally {
      t.cleanup();
    }
  });
});

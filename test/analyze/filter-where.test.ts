import { describe, expect, test } from "bun:test";
import { Anomalies, parseCountBy, parseWhere, runFilter } from "../../src/analyze/index.ts";
import type { FilterOptions, FilterSpec } from "../../src/analyze/index.ts";
import { openLogSources } from "../../src/log/index.ts";
import { SCAN_A, T0, chunked, ev, port, sampleLog, text } from "./helpers.ts";
import { isoTime } from "../../src/events/index.ts";

// --where as a jq user types it: jq's operators, null for a missing field, arrays by element.

const LOG = sampleLog();

async function filter(spec: FilterSpec, extra: Partial<FilterOptions> = {}, lines: readonly string[] = LOG) {
  const out: string[] = [];
  const dec = new TextDecoder();
  const anomalies = new Anomalies(() => {});
  const sources = await openLogSources(["-"], { stdin: () => chunked(new TextEncoder().encode(text(lines)), [97]) });
  const n = await runFilter(sources, { spec, format: "lines", count: false, ...extra }, { write: (c) => void out.push(typeof c === "string" ? c : dec.decode(c)) }, anomalies);
  return { n, out: out.join(""), lines: out.join("").split("\n").filter((l) => l !== "") };
}
const where = async (...exprs: string[]) => (await filter({ where: exprs.map(parseWhere) })).lines;
const count = async (lines: readonly string[], ...exprs: string[]) => (await filter({ where: exprs.map(parseWhere) }, { count: true }, lines)).n;
const names = (lines: readonly string[]) => lines.map((l) => (JSON.parse(l) as { event: string }).event);

describe("--where with jq's operators", () => {
  test("port==22 is port=22 (jq's ==), not port equal to the text =22", async () => {
    expect(await where("port==22")).toEqual(await where("port=22"));
    expect((await where("port==22")).length).toBe(4);
    expect(names(await where("state==Open", "event==PortFound"))).toEqual(["PortFound", "PortFound", "PortFound"]);
  });

  test("!=, >=, <=, > and < all select as jq's do on numbers", async () => {
    expect(names(await where("event==PortFound", "port!=22"))).toEqual(["PortFound", "PortFound"]);
    expect(names(await where("pps>=3000"))).toEqual(["ProgressUpdate"]);
    expect(names(await where("pps<=1000"))).toEqual(["ProgressUpdate"]);
    expect(names(await where("pps>1000"))).toEqual(["ProgressUpdate"]);
    expect(names(await where("percentage<100"))).toEqual(["ProgressUpdate"]);
  });

  test("jq's spellings of paths and strings: .port, \"Open\" in quotes", async () => {
    expect(await where(".state==\"Open\"")).toEqual(await where("state=Open"));
    expect(names(await where(".extra.depth.n==7"))).toEqual(["FutureThing"]);
  });

  test("a quoted value matches strings only, as in jq: port==\"22\" matches no number", async () => {
    expect(await where('port=="22"')).toEqual([]);
  });

  test("a malformed quoted value is refused naming the expression", () => {
    expect(() => parseWhere('state=="Op"en"')).toThrow('invalid --where expression "state==\\"Op\\"en\\""');
  });
});

describe("--where on a missing field: null, as in jq", () => {
  test("version!=null keeps only the lines that have a version (jq: select(.version != null))", async () => {
    expect(names(await where("version!=null"))).toEqual(["ServiceDetected"]);
  });

  test("from=null holds for events without a from, and for from written as null", async () => {
    const lines = await where("from=null");
    expect(lines.length).toBe(LOG.length - 2); // every event: StageChanged's from is null, the rest lack it
    expect(await where("from!=null")).toEqual([]);
  });

  test("x!=VALUE holds for an event without x (jq: null != 5 is true); x=VALUE does not", async () => {
    expect((await where("confidence!=90")).length).toBe(LOG.length - 3);
    expect(names(await where("confidence=90"))).toEqual(["ServiceDetected"]);
  });

  test("the text null in quotes is not a missing field", async () => {
    const line = ev("ServiceDetected", 1, { target: "198.18.0.1", port: 22, service: "SSH", version: "null", confidence: 90 });
    expect(await count([...LOG, line], 'version="null"')).toBe(1);
    expect(await count([...LOG, line], "version=null")).toBe(LOG.length - 3);
  });

  test("> and < hold only for numbers, not for a missing field (where jq orders null first)", async () => {
    expect(names(await where("latency_ms<2"))).toEqual(["HostDiscovered"]);
  });
});

describe("--where and --count-by on an array field (CertificateFound's san)", () => {
  const cert = (ms: number, san: string[]) =>
    ev("CertificateFound", ms, {
      target: "127.0.0.1", port: 8443, subject: "CN=a", issuer: "CN=a", valid_from: "2024-01-01T00:00:00Z",
      valid_until: "2025-01-01T00:00:00Z", san, sha256: "ab", self_signed: true,
    });
  const custom = `{"event":"CustomThing","scan_id":"${SCAN_A}","meta":{"tags":["x","y"]},"seq":3,"timestamp":"${isoTime(T0 + 3)}"}`;
  const certs = [cert(1, ["a.example", "b.example"]), cert(2, ["c.example"]), cert(3, []), custom, port(4, "198.18.0.1", 22)];

  test("san=b.example holds when any element is b.example; san!=b.example when none is", async () => {
    expect(await count(certs, "event=CertificateFound", "san=b.example")).toBe(1);
    expect(await count(certs, "event=CertificateFound", "san==a.example")).toBe(1);
    expect(await count(certs, "event=CertificateFound", "san!=b.example")).toBe(2);
    expect(await count(certs, "san~^c\\.")).toBe(1);
  });

  test("jq's [N] index is .N: san[1], meta.tags[0]", async () => {
    expect(await count(certs, "san[1]=b.example")).toBe(1);
    expect(await count(certs, "san.1=b.example")).toBe(1);
    expect(await count(certs, "meta.tags[0]=x")).toBe(1);
    expect(parseCountBy(".meta.tags[1]")).toEqual(["meta", "tags", "1"]);
    expect(() => parseCountBy("san[x]")).toThrow('invalid --count-by field "san[x]"');
  });

  test("--count-by san counts each element; an empty array counts as (none)", async () => {
    const { out } = await filter({ events: new Set(["CertificateFound"]) }, { countBy: ["san"] }, certs);
    expect(out).toBe("1 a.example\n1 b.example\n1 c.example\n1 (none)\n");
  });
});

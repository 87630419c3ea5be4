import { describe, expect, test } from "bun:test";
import { appendFileSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { gzipSync } from "fflate";
import { join } from "node:path";
import { Anomalies, compileLineFilter, diffLogs, diffNotes, renderDiff, tail } from "../../src/analyze/index.ts";
import { openLogSources } from "../../src/log/index.ts";
import { ended, ev, port, SCAN_A, started, tempDir, text } from "./helpers.ts";

function sink() {
  const out: string[] = [];
  return { out, write: (c: string | Uint8Array) => void out.push(typeof c === "string" ? c : new TextDecoder().decode(c)) };
}

describe("log tail", () => {
  test("tail prints the last N events, without framing lines", async () => {
    const t = tempDir();
    try {
      const lines = [started(0), port(1, "198.18.0.1", 1), port(2, "198.18.0.1", 2), port(3, "198.18.0.1", 3), ended(4, 3)];
      const path = t.file("scan.jsonl", text(lines));
      const s = sink();
      await tail(await openLogSources([path]), { lines: 2, follow: false, keep: compileLineFilter({}), sleep: async () => {} }, s, new Anomalies(() => {}));
      expect(s.out.join("")).toBe(text(lines.slice(2, 4)));
    } finally {
      t.cleanup();
    }
  });

  test("tail -f prints appended lines and follows across a rotation", async () => {
    const t = tempDir();
    try {
      const first = join(t.dir, "scan.jsonl");
      const second = join(t.dir, "scan.2.jsonl");
      const p = [1, 2, 3, 4, 5].map((i) => port(i, "198.18.0.1", i));
      writeFileSync(first, text([started(0), p[0]!, p[1]!]));
      const stop = new AbortController();
      const steps = [
        () => appendFileSync(first, text([p[2]!])),
        () => appendFileSync(first, text([ended(3, 3, ',"reason":"rotated","next":"scan.2.jsonl"')])),
        () => {}, // the next file is announced before it exists
        () => writeFileSync(second, text([started(3, ',"continues":"scan.jsonl"'), p[3]!]) + p[4]!.slice(0, 30)),
        () => appendFileSync(second, p[4]!.slice(30) + "\n"),
        () => stop.abort(),
      ];
      let step = 0;
      const s = sink();
      await tail(
        await openLogSources([first]),
        { lines: 1, follow: true, followPath: first, keep: compileLineFilter({}), sleep: async () => steps[step++]?.(), signal: stop.signal },
        s,
        new Anomalies(() => {}),
      );
      expect(s.out.join("")).toBe(text(p.slice(1)));
    } finally {
      t.cleanup();
    }
  });
});

/** What compressed rotation does to a finished file: NAME.gz replaces it. */
function gzipAway(path: string): void {
  writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
  unlinkSync(path);
}

/** A log's file names as rotation makes them, in a temporary folder, and five port lines. */
function rotationLab() {
  const t = tempDir();
  const [first, second, third] = ["scan.jsonl", "scan.1.jsonl", "scan.2.jsonl"].map((name) => join(t.dir, name)) as [string, string, string];
  const p = [1, 2, 3, 4, 5].map((i) => port(i, "198.18.0.1", i));
  return { t, first, second, third, p };
}

describe("log tail -f with compressed rotation", () => {
  async function follow(first: string, steps: (() => void)[], stop: AbortController) {
    let step = 0;
    const s = sink();
    await tail(
      await openLogSources([first]),
      { lines: 1, follow: true, followPath: first, keep: compileLineFilter({}), sleep: async () => steps[step++]?.(), signal: stop.signal },
      s,
      new Anomalies(() => {}),
    );
    return s.out.join("");
  }

  test("a followed file gzipped and deleted before its last lines were read is read to its end, and the follow moves on", async () => {
    const { t, first, second, p } = rotationLab();
    try {
      writeFileSync(first, text([started(0), p[0]!, p[1]!]));
      const stop = new AbortController();
      const out = await follow(first, [
        () => {
          appendFileSync(first, text([p[2]!, ended(3, 3, ',"reason":"rotated","next":"scan.1.jsonl"')]));
          gzipAway(first);
          writeFileSync(second, text([started(3, ',"continues":"scan.jsonl"'), p[3]!, p[4]!]));
        },
        () => stop.abort(),
      ], stop);
      expect(out).toBe(text(p.slice(1)));
    } finally {
      t.cleanup();
    }
  });

  test("given a file that had already rotated (and been gzipped away after), tail -f follows the file the rotations led to", async () => {
    const { t, first, second, third, p } = rotationLab();
    try {
      writeFileSync(first, text([started(0), p[0]!, ended(1, 1, ',"reason":"rotated","next":"scan.1.jsonl"')]));
      writeFileSync(second, text([started(1, ',"continues":"scan.jsonl"'), p[1]!, ended(2, 1, ',"reason":"rotated","next":"scan.2.jsonl"')]));
      gzipAway(second);
      writeFileSync(third, text([started(2, ',"continues":"scan.1.jsonl"'), p[2]!]));
      const stop = new AbortController();
      const out = await follow(first, [() => appendFileSync(third, text([p[3]!, p[4]!])), () => stop.abort()], stop);
      // The last line written before tail started, then what came after.
      expect(out).toBe(text(p.slice(2)));
    } finally {
      t.cleanup();
    }
  });

  test("a next file already gzipped away before the follow reached it is read from its .gz", async () => {
    const { t, first, second, third, p } = rotationLab();
    try {
      writeFileSync(first, text([started(0), p[0]!]));
      const stop = new AbortController();
      const out = await follow(first, [
        () => {
          appendFileSync(first, text([ended(1, 1, ',"reason":"rotated","next":"scan.1.jsonl"')]));
          writeFileSync(second, text([started(1, ',"continues":"scan.jsonl"'), p[1]!, p[2]!, ended(3, 2, ',"reason":"rotated","next":"scan.2.jsonl"')]));
          gzipAway(second);
          writeFileSync(third, text([started(3, ',"continues":"scan.1.jsonl"'), p[3]!]));
        },
        () => {},
        () => stop.abort(),
      ], stop);
      expect(out).toBe(text(p.slice(0, 4)));
    } finally {
      t.cleanup();
    }
  });
});

describe("log diff", () => {
  test("diff reports ports opened and closed, hosts up and down, services changed", async () => {
    const t = tempDir();
    try {
      const a = t.file("a.jsonl", text([
        started(0),
        ev("HostDiscovered", 1, { ip: "198.18.0.1", method: "ICMP", latency_ms: 1 }),
        ev("HostDiscovered", 1, { ip: "198.18.0.2", method: "ICMP", latency_ms: 1 }),
        port(2, "198.18.0.1", 22),
        port(3, "198.18.0.1", 80),
        port(4, "198.18.0.2", 25),
        ev("ServiceDetected", 5, { target: "198.18.0.1", port: 80, service: "HTTP", version: "Apache/2.4.52", confidence: 90 }),
        ended(6, 6),
      ]));
      const b = t.file("b.jsonl", text([
        started(0),
        ev("HostDiscovered", 1, { ip: "198.18.0.1", method: "ICMP", latency_ms: 1 }),
        ev("HostDiscovered", 1, { ip: "198.18.0.3", method: "ICMP", latency_ms: 1 }),
        port(2, "198.18.0.1", 22, "Closed"),
        port(3, "198.18.0.1", 80),
        port(4, "198.18.0.1", 443),
        ev("ServiceDetected", 5, { target: "198.18.0.1", port: 80, service: "HTTP", version: "Apache/2.4.58", confidence: 90 }),
        ended(6, 6),
      ]));
      const d = await diffLogs(await openLogSources([a]), await openLogSources([b]), new Anomalies(() => {}));
      expect(d).toEqual({
        hostsUp: ["198.18.0.3"],
        hostsDown: ["198.18.0.2"],
        portsOpened: [{ host: "198.18.0.1", port: "443/tcp" }],
        portsClosed: [{ host: "198.18.0.1", port: "22/tcp" }],
        servicesChanged: [{ host: "198.18.0.1", port: "80/tcp", before: "HTTP Apache/2.4.52", after: "HTTP Apache/2.4.58" }],
        // B has no PortFound for it (its host was not up in B): not probed, so not called closed.
        notScanned: [{ host: "198.18.0.2", port: "25/tcp" }],
        ended: { a: "cut short", b: "cut short" },
        scans: { a: [SCAN_A], b: [SCAN_A] },
      });
      expect(renderDiff(d, false)).toBe(
        [
          "+198.18.0.3 is up",
          "-198.18.0.2 is down",
          "+198.18.0.1 443/tcp open",
          "-198.18.0.1 22/tcp no longer open",
          " 198.18.0.1 80/tcp HTTP Apache/2.4.52 -> HTTP Apache/2.4.58",
        ].join("\n") + "\n",
      );
      const same = await diffLogs(await openLogSources([a]), await openLogSources([a]), new Anomalies(() => {}));
      expect(renderDiff(same, false)).toBe("no differences\n");
    } finally {
      t.cleanup();
    }
  });

  const scanStarted = (ms: number) => ev("ScanStarted", ms, { scan_type: "Connect", target_count: 1, port_count: 10000 });
  const completed = (ms: number) =>
    ev("ScanCompleted", ms, { targets_scanned: 1, ports_scanned: 3, duration: 1, hosts_up: 1, open_ports: 3, closed_ports: 0, filtered_ports: 0, services_detected: 0 });
  const cancelled = (ms: number) => ev("ScanCancelled", ms, { reason: "SIGINT", partial_results: true });

  test("diff does not call a port closed that the second scan never probed", async () => {
    const t = tempDir();
    try {
      const a = t.file("full.jsonl", text([started(0), scanStarted(1), port(2, "127.0.0.1", 22), port(3, "127.0.0.1", 2222), port(4, "127.0.0.1", 8080), completed(5), ended(6, 5)]));
      // Ctrl-C'd after two ports: 22 was probed and found closed, 2222 open; 8080 never probed.
      const b = t.file("int.jsonl", text([started(0), scanStarted(1), port(2, "127.0.0.1", 22, "Closed"), port(3, "127.0.0.1", 2222), cancelled(4), ended(5, 4)]));
      const d = await diffLogs(await openLogSources([a]), await openLogSources([b]), new Anomalies(() => {}));
      expect(d.portsClosed).toEqual([{ host: "127.0.0.1", port: "22/tcp" }]);
      expect(d.notScanned).toEqual([{ host: "127.0.0.1", port: "8080/tcp" }]);
      expect(d.ended).toEqual({ a: "completed", b: "cancelled" });
      expect(renderDiff(d, false)).toBe("-127.0.0.1 22/tcp no longer open\n");
      expect(renderDiff(d, false, true)).toBe("-127.0.0.1 22/tcp no longer open\n?127.0.0.1 8080/tcp open in A, not scanned in B\n");
      expect(diffNotes(d, { a, b }, false)).toEqual([
        `B ${JSON.stringify(b)} ended with ScanCancelled: a port it did not reach is not called closed`,
        "1 port open in A was not scanned in B, so not called closed (-v lists them)",
      ]);
    } finally {
      t.cleanup();
    }
  });

  test("diff of a narrower second scan reports only the ports both probed; a host that answered with a reset is not down", async () => {
    const t = tempDir();
    try {
      const a = t.file("a.jsonl", text([started(0), scanStarted(1), port(2, "127.0.0.1", 22), port(3, "127.0.0.1", 80), port(4, "127.0.0.1", 443), completed(5), ended(6, 5)]));
      const b = t.file("b.jsonl", text([started(0), scanStarted(1), port(2, "127.0.0.1", 80, "Closed"), completed(3), ended(4, 3)]));
      const d = await diffLogs(await openLogSources([a]), await openLogSources([b]), new Anomalies(() => {}));
      expect(renderDiff(d, false)).toBe("-127.0.0.1 80/tcp no longer open\n");
      expect(diffNotes(d, { a, b }, true)).toEqual(["2 ports open in A were not scanned in B, so not called closed (listed with ?)"]);
      // A scan with no ScanCompleted at all is named as cut short; A's ending is reported as B's is.
      const cut = t.file("cut.jsonl", text([started(0), scanStarted(1), port(2, "127.0.0.1", 22)]));
      const d2 = await diffLogs(await openLogSources([cut]), await openLogSources([a]), new Anomalies(() => {}));
      expect(diffNotes(d2, { a: cut, b: a }, false)).toEqual([`A ${JSON.stringify(cut)} has no ScanCompleted (cut short?): a port it did not reach shows as opened if B found it open`]);
    } finally {
      t.cleanup();
    }
  });
});

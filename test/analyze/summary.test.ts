import { describe, expect, test } from "bun:test";
import { Anomalies, SummaryPrinter, renderSummary, summarize } from "../../src/analyze/index.ts";
import { openLogSources, streamSource } from "../../src/log/index.ts";
import { SCAN_B, chunked, ended, ev, gz, port, sampleLog, started, tempDir, text } from "./helpers.ts";

const summaryOf = async (lines: readonly string[]) =>
  summarize([streamSource("-", chunked(new TextEncoder().encode(text(lines)), [33]))], new Anomalies(() => {}));

describe("log summary", () => {
  test("summarises a complete scan: hosts, open ports, services, counts, warnings, rates", async () => {
    const s = await summaryOf(sampleLog());
    expect(s.complete).toBe(true);
    expect(s.scans).toHaveLength(1);
    const scan = s.scans[0]!;
    expect(scan).toMatchObject({
      scanType: "Syn",
      scanTypes: ["Syn"],
      status: "completed",
      start: "2024-11-15T10:30:00.000Z",
      end: "2024-11-15T10:30:00.016Z",
      durationSeconds: 0.016,
      targets: 4,
      hostsUp: 3,
      openPorts: 4,
      retries: 1,
      rateLimitHits: 1,
      meanPps: 2000,
      peakPps: 3000,
    });
    expect(scan.openPortsByHost).toEqual({ "198.18.0.1": ["22/tcp", "80/tcp"], "198.18.1.9": ["443/tcp"], "2001:db8::5": ["8080/tcp"] });
    expect(scan.services).toEqual([{ host: "198.18.0.1", port: 22, service: "SSH", version: "OpenSSH 9.2p1" }]);
    expect(scan.eventCounts.PortFound).toBe(4);
    expect(scan.eventCounts.FutureThing).toBe(1);
    expect(scan.warningsByCode).toEqual({ "host-unreachable": 2 });
    expect(scan.topOpenPorts[0]).toEqual({ port: 22, hosts: 1 });
  });

  test("a log cut short is summarised as far as it goes and marked incomplete", async () => {
    const cut = sampleLog().slice(0, 8);
    const s = await summaryOf(cut);
    expect(s.complete).toBe(false);
    expect(s.scans[0]!.status).toBe("incomplete");
    expect(s.scans[0]!.openPorts).toBe(3);
    expect(s.scans[0]!.end).toBe("2024-11-15T10:30:00.006Z");
    expect(renderSummary(s, "table")).toContain("log incomplete");
  });

  test("several scans in one log are summarised separately", async () => {
    const other = [ev("ScanStarted", 100, { scan_type: "Connect", target_count: 1, port_count: 1 }, SCAN_B), port(101, "198.18.9.9", 3306, "Open", SCAN_B), ev("ScanCancelled", 102, { reason: "SIGINT", partial_results: true }, SCAN_B)];
    const log = sampleLog();
    const s = await summaryOf([...log.slice(0, -1), ...other, log[log.length - 1]!]);
    expect(s.scans.map((x) => [x.scanType, x.status, x.openPorts])).toEqual([["Syn", "completed", 4], ["Connect", "cancelled", 1]]);
  });

  test("scans are handed over in the order they started, a finished one after the earlier ones end, and print as one JSON document", async () => {
    const other = [ev("ScanStarted", 100, { scan_type: "Connect", target_count: 1, port_count: 1 }, SCAN_B), port(101, "198.18.9.9", 3306, "Open", SCAN_B)];
    const log = sampleLog();
    const printer = new SummaryPrinter("json");
    const order: string[] = [];
    let out = "";
    const s = await summarize(
      [streamSource("-", chunked(new TextEncoder().encode(text([...other, ...log.slice(1, -1)])), [50]))],
      new Anomalies(() => {}),
      undefined,
      (scan) => {
        order.push(scan.status);
        out += printer.scan(scan);
      },
    );
    out += printer.end(s);
    // Connect started first and never ended: the completed Syn scan waits for it, as the log orders them.
    expect(order).toEqual(["incomplete", "completed"]);
    const doc = JSON.parse(out) as { scans: { scanType: string }[]; complete: boolean };
    expect(doc.scans.map((x) => x.scanType)).toEqual(["Connect", "Syn"]);
    expect(doc.complete).toBe(true);
    expect(JSON.parse(new SummaryPrinter("json").end({ events: 0, complete: false, lostEvents: 0 }))).toEqual({ scans: [], events: 0, complete: false, lostEvents: 0 });
  });

  test("--json and --markdown render the same facts", async () => {
    const s = await summaryOf(sampleLog());
    expect(JSON.parse(renderSummary(s, "json"))).toEqual(JSON.parse(JSON.stringify(s)));
    const md = renderSummary(s, "markdown");
    expect(md).toContain("| 198.18.0.1 | 22/tcp, 80/tcp |");
    expect(md).toContain("| 198.18.0.1 | 22 | SSH | OpenSSH 9.2p1 |");
    const table = renderSummary(s, "table");
    expect(table).toMatch(/hosts up\s+3/);
    expect(table).toMatch(/pps mean while sending \/ peak\s+2000 \/ 3000/);
  });

  test("a combined -sT -sU scan is summarised as both techniques: its ScanStarted names only Connect, its PortFound lines say Udp", async () => {
    const udp = (ms: number, p: number, state: string) =>
      ev("PortFound", ms, { target: "127.0.0.1", port: p, protocol: "Udp", state, reason: state === "Open" ? "udp-response" : "port-unreach" });
    const lines = [
      ev("ScanStarted", 0, { scan_type: "Connect", target_count: 1, port_count: 4 }),
      port(1, "127.0.0.1", 22),
      port(2, "127.0.0.1", 80, "Closed"),
      // Closed UDP ports only: the UDP pass ran even though it found nothing open.
      udp(3, 53, "Closed"),
      udp(4, 161, "Closed"),
      ev("ScanCompleted", 5, { targets_scanned: 1, ports_scanned: 4, duration: 0.005, hosts_up: 1, open_ports: 1, closed_ports: 3, filtered_ports: 0, services_detected: 0 }),
    ];
    const s = await summaryOf(lines);
    expect(s.scans[0]).toMatchObject({ scanType: "Connect", scanTypes: ["Connect", "Udp"] });
    expect(renderSummary(s, "table")).toMatch(/type\s+Connect \+ Udp\n/);
    const tcpOnly = await summaryOf([lines[0]!, lines[1]!, lines[2]!, lines[5]!]);
    expect(tcpOnly.scans[0]!.scanTypes).toEqual(["Connect"]);
    const udpOnly = await summaryOf([ev("ScanStarted", 0, { scan_type: "Udp", target_count: 1, port_count: 1 }), udp(1, 53, "Open")]);
    expect(udpOnly.scans[0]!.scanTypes).toEqual(["Udp"]);
  });

  test("pps mean is the rate while probes were sent: the 0s before the first probe and after the last (finalisation) are left out, a stall between is kept; peak is of every update", async () => {
    const update = (ms: number, stage: number, pps: number) =>
      ev("ProgressUpdate", ms, { stage, percentage: 50, completed: 1, total: 2, pps, ports_per_sec: 0, hosts_per_min: 0, bandwidth_bps: 0, eta_seconds: null });
    // --max-rate 500: 500/s while sending, one stalled second, then finalisation's two 0s.
    const lines = [
      ev("ScanStarted", 0, { scan_type: "Connect", target_count: 1, port_count: 2000 }),
      update(1, 3, 0),
      update(1000, 3, 510),
      update(2000, 3, 500),
      update(3000, 3, 0),
      update(4000, 3, 490),
      update(5000, 5, 0),
      update(6000, 5, 0),
    ];
    const scan = (await summaryOf(lines)).scans[0]!;
    expect({ mean: scan.meanPps, peak: scan.peakPps }).toEqual({ mean: 375, peak: 510 });
    const idle = (await summaryOf([lines[0]!, update(1, 5, 0)])).scans[0]!;
    expect({ mean: idle.meanPps, peak: idle.peakPps }).toEqual({ mean: 0, peak: 0 });
    expect((await summaryOf([lines[0]!])).scans[0]!.meanPps).toBeNull();
  });

  test("a line damaged in the middle is skipped and reported, and counts nowhere", async () => {
    const log = sampleLog();
    const bad = port(5, "198.18.9.9", 3306).replace('"port":3306', '"port":33#06');
    const issues: string[] = [];
    const s = await summarize(
      [streamSource("-", chunked(new TextEncoder().encode(text([...log.slice(0, 5), bad, ...log.slice(5)])), [4096]))],
      new Anomalies((m) => issues.push(m)),
    );
    const clean = (await summaryOf(log)).scans[0]!;
    expect(s.scans[0]).toEqual(clean);
    expect(issues).toEqual(["-:6: malformed line skipped"]);
  });

  test("scans print in the order they started; one with no end whose log restarted after it is cut short, naming where", async () => {
    const killed = [started(0), ev("ScanStarted", 1, { scan_type: "Connect", target_count: 1, port_count: 9 }), port(2, "127.0.0.1", 22)];
    const next = [
      started(50),
      ev("ScanStarted", 51, { scan_type: "Connect", target_count: 1, port_count: 9 }, SCAN_B),
      port(52, "127.0.0.1", 80, "Open", SCAN_B),
      ev("ScanCompleted", 53, { targets_scanned: 1, ports_scanned: 9, duration: 0.002, hosts_up: 1, open_ports: 1, closed_ports: 8, filtered_ports: 0, services_detected: 0 }, SCAN_B),
      ended(54, 3),
    ];
    const seen: string[] = [];
    const s = await summarize(
      [streamSource("k9.jsonl", chunked(new TextEncoder().encode(text([...killed, ...next])), [64]))],
      new Anomalies(() => {}),
      undefined,
      (scan) => {
        seen.push(`${scan.scanId.slice(0, 8)} ${scan.status} ${scan.cutShortAt}`);
      },
    );
    expect(seen).toEqual(["3f2b8c1e cut short k9.jsonl:4", "9a1c2b3d completed null"]);
    expect(s.complete).toBe(true);
    const all = await summaryOf([...killed, ...next]);
    expect(renderSummary(all, "table")).toContain("status                         cut short (log restarted at -:4)");
  });

  test("a rotated set whose first files were pruned says the log starts mid-scan, naming the missing file, and shows ScanCompleted's totals beside the counted ones", async () => {
    const t = tempDir();
    try {
      const first = [started(0), ev("ScanStarted", 1, { scan_type: "Connect", target_count: 1, port_count: 3000 }), port(2, "127.0.0.1", 2024), ended(3, 2, ',"reason":"rotated","next":"scan.jsonl"')];
      const rest = [
        started(4, ',"continues":"/var/log/prtip/scan.8.jsonl"'),
        port(5, "127.0.0.1", 2025, "Closed"),
        ev("ScanCompleted", 6, { targets_scanned: 1, ports_scanned: 3000, duration: 0.006, hosts_up: 1, open_ports: 1, closed_ports: 2999, filtered_ports: 0, services_detected: 0 }),
        ended(7, 2),
      ];
      t.file("scan.9.jsonl.gz", gz(text(rest)));
      const pruned = (await summarize(await openLogSources([t.dir]), new Anomalies(() => {}))).scans[0]!;
      expect(pruned).toMatchObject({
        status: "completed",
        startsMidScan: true,
        missingFiles: ["scan.8.jsonl"],
        hostsUp: 0,
        openPorts: 0,
        targets: 1,
        completedTotals: { hostsUp: 1, openPorts: 1 },
      });
      const shown = renderSummary({ scans: [pruned], events: 0, complete: true, lostEvents: 0 }, "table");
      expect(shown).toContain("partial                        log starts mid-scan (scan.8.jsonl missing)");
      expect(shown).toContain("open ports                     0 counted (ScanCompleted says 1)");
      // With the file it continues there (since gzipped), nothing is missing and the counts agree.
      t.file("scan.8.jsonl.gz", gz(text(first)));
      const whole = (await summarize(await openLogSources([t.dir]), new Anomalies(() => {}))).scans[0]!;
      expect(whole).toMatchObject({ startsMidScan: false, missingFiles: [], hostsUp: 1, openPorts: 1 });
      expect(renderSummary({ scans: [whole], events: 0, complete: true, lostEvents: 0 }, "table")).not.toMatch(/partial|counted/);
    } finally {
      t.cleanup();
    }
  });

  test("seq gaps are counted per scan and log_ended's lost is summed, in the text and in --json", async () => {
    const log = sampleLog();
    // Three events gone (lines 4, 5 and 9 of the log), and the logger says it lost two.
    const lossy = [...log.filter((_, i) => i !== 4 && i !== 5 && i !== 9).slice(0, -1), ended(17, 14, ',"lost":2')];
    const s = await summaryOf(lossy);
    expect(s.scans[0]!.missingEvents).toBe(3);
    expect(s.lostEvents).toBe(2);
    const table = renderSummary(s, "table");
    expect(table).toContain("missing events                 3 (gaps in seq)");
    expect(table).toContain("log_ended reports 2 events lost");
    const json = JSON.parse(renderSummary(s, "json")) as { scans: { missingEvents: number }[]; lostEvents: number };
    expect([json.scans[0]!.missingEvents, json.lostEvents]).toEqual([3, 2]);
    expect((await summaryOf(log)).scans[0]!.missingEvents).toBe(0);
    expect(renderSummary(await summaryOf(log), "table")).not.toContain("missing events");
  });

  test("the seq of a line not written by prtip's encoder (spaced, reordered) is read too", async () => {
    const log = sampleLog();
    const spaced = log.map((l, i) => (i === 6 ? JSON.stringify(JSON.parse(l), null, 1).replace(/\n/g, "") : l));
    const dropped = spaced.filter((_, i) => i !== 7);
    expect((await summaryOf(dropped)).scans[0]!.missingEvents).toBe(1);
  });
});

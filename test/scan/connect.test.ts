import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Server, createServer } from "node:net";
import { bunDial } from "../../src/runtime/bun-dial.ts";
import { ConnectTechnique, type Dial, type DialOutcome, classifyError, netDial } from "../../src/scan/index.ts";
import { byPort, probes, recordingContext } from "./helpers.ts";

const clock = { now: () => performance.now() };

function technique(dial: Dial, concurrency = 8) {
  return new ConnectTechnique({ concurrency, minTimeoutMs: 10, maxTimeoutMs: 1000, clock, dial, busyBackoffMs: 1 });
}

/** A dial answering from a table: each port's outcomes in attempt order, the last repeating. */
function scripted(table: Record<number, DialOutcome[]>) {
  const calls: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const dial: Dial = async (_host, port) => {
    calls.push(port);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    const list = table[port] ?? ["refused"];
    const attempt = calls.filter((p) => p === port).length;
    return list[Math.min(attempt, list.length) - 1]!;
  };
  return { dial, calls, maxInFlight: () => maxInFlight };
}

describe("connect technique", () => {
  test("handshake → Open/connect, refused → Closed/rst, unreachable → Filtered/icmp-unreach", async () => {
    const s = scripted({ 22: ["open"], 23: ["refused"], 24: ["unreachable"] });
    const { ctx, results } = recordingContext();
    await technique(s.dial).scan(probes("127.0.0.1", [22, 23, 24]), ctx);
    expect(byPort(results)).toEqual({ 22: "Open/connect", 23: "Closed/rst", 24: "Filtered/icmp-unreach" });
  });

  test("silence on a host that answered is retried --max-retries times, then Filtered/no-response", async () => {
    const s = scripted({ 24: ["refused"], 25: ["timeout"] });
    const { ctx, results, retries } = recordingContext({ maxRetries: 2 });
    await technique(s.dial, 1).scan(probes("127.0.0.1", [24, 25]), ctx);
    expect(byPort(results)).toEqual({ 24: "Closed/rst", 25: "Filtered/no-response" });
    expect(s.calls).toEqual([24, 25, 25, 25]);
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
  });

  test("a host that has answered nothing gets one retry per port, whatever --max-retries is", async () => {
    const s = scripted({ 25: ["timeout"], 26: ["timeout"] });
    const { ctx, results } = recordingContext({ maxRetries: 10 });
    await technique(s.dial, 1).scan(probes("127.0.0.1", [25, 26]), ctx);
    expect(byPort(results)).toEqual({ 25: "Filtered/no-response", 26: "Filtered/no-response" });
    expect(s.calls).toEqual([25, 25, 26, 26]);
  });

  test("only unanswered probes are retried, and an answer on retry counts", async () => {
    const s = scripted({ 80: ["timeout", "open"], 81: ["refused"] });
    const { ctx, results, retries } = recordingContext({ maxRetries: 3 });
    await technique(s.dial).scan(probes("127.0.0.1", [80, 81]), ctx);
    expect(byPort(results)).toEqual({ 80: "Open/connect", 81: "Closed/rst" });
    expect(retries).toEqual([{ target: "127.0.0.1", port: 80, attempt: 2 }]);
  });

  test("running out of sockets is retried without using up retries", async () => {
    const s = scripted({ 90: ["busy", "busy", "busy", "open"] });
    const { ctx, results, warnings } = recordingContext({ maxRetries: 0 });
    await technique(s.dial).scan(probes("127.0.0.1", [90]), ctx);
    expect(byPort(results)).toEqual({ 90: "Open/connect" });
    expect(warnings).toHaveLength(1);
  });

  test("never more connects in flight than the concurrency cap", async () => {
    const s = scripted({});
    const { ctx, results } = recordingContext();
    await technique(s.dial, 5).scan(probes("127.0.0.1", Array.from({ length: 100 }, (_, i) => i + 1)), ctx);
    expect(results).toHaveLength(100);
    expect(s.maxInFlight()).toBe(5);
  });

  test("every probe takes a pacer token", async () => {
    let tokens = 0;
    const { ctx } = recordingContext({ pacer: { acquire: (n = 1) => void (tokens += n) }, maxRetries: 1 });
    await technique(scripted({ 7: ["timeout"] }).dial).scan(probes("127.0.0.1", [7, 8, 9]), ctx);
    expect(tokens).toBe(4);
  });

  test("cancel stops the scan without reporting the rest", async () => {
    const s = scripted({});
    const { ctx, results, abort } = recordingContext();
    const run = technique(s.dial, 1).scan(probes("127.0.0.1", Array.from({ length: 1000 }, (_, i) => i + 1)), ctx);
    setTimeout(() => abort.abort(), 5);
    await run;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThan(1000);
  });

  test("socket errors map to outcomes", () => {
    expect(classifyError("ECONNREFUSED")).toBe("refused");
    expect(classifyError("EHOSTUNREACH")).toBe("unreachable");
    expect(classifyError("EMFILE")).toBe("busy");
    expect(classifyError("ETIMEDOUT")).toBe("timeout");
  });
});

describe("connect technique on loopback", () => {
  const servers: Server[] = [];
  const open: number[] = [];
  let closed = 0;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const server = createServer((s) => s.destroy());
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      servers.push(server);
      open.push((server.address() as { port: number }).port);
    }
    // a port that was just listening and is now closed
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, "127.0.0.1", r));
    closed = (gone.address() as { port: number }).port;
    await new Promise((r) => gone.close(r));
  });
  afterAll(() => {
    for (const s of servers) s.close();
  });

  for (const [name, dial] of [["node:net", netDial], ["Bun sockets", bunDial]] as const) {
    test(`${name}: finds the listeners open and a free port closed`, async () => {
      const { ctx, results, metrics } = recordingContext();
      const t = new ConnectTechnique({ concurrency: 16, minTimeoutMs: 100, maxTimeoutMs: 2000, clock, dial });
      await t.scan(probes("127.0.0.1", [...open, closed]), ctx);
      expect(byPort(results)).toEqual({ [open[0]!]: "Open/connect", [open[1]!]: "Open/connect", [closed]: "Closed/rst" });
      expect(metrics.packets_sent).toBe(3);
      expect(t.timesFor("127.0.0.1")).not.toBeNull();
    });
  }
});

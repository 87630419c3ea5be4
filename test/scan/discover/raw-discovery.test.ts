import { describe, expect, test } from "bun:test";
import type { DiscoveryMethod } from "../../../src/events/index.ts";
import { RawDiscovery } from "../../../src/scan/discover/index.ts";
import type { DiscoveryContext, HostDiscovery } from "../../../src/scan/discovery.ts";
import { VirtualWaiter } from "../syn/fake-net.ts";
import { FakeSegment, segmentSystem, type Remote } from "./fake-segment.ts";

const SECRET = Uint8Array.from({ length: 16 }, (_, i) => i * 13 + 5);
const GATEWAY_MAC = "02:00:00:00:00:02";

interface Run {
  up: Map<string, { method: DiscoveryMethod; latencyMs: number | null }>;
  done: string[];
  paced: number;
  net: FakeSegment;
  discovery: RawDiscovery;
}

async function discover(hosts: string[], world: { neighbours?: string[]; remote?: Record<string, Remote>; loopback?: HostDiscovery }, maxRetries = 2): Promise<Run> {
  const net = new FakeSegment(world.neighbours ?? [], world.remote ?? {});
  const waiter = new VirtualWaiter();
  const discovery = new RawDiscovery({ openLink: () => net, net: segmentSystem, waiter, secret: SECRET, loopback: world.loopback });
  const run: Run = { up: new Map(), done: [], paced: 0, net, discovery };
  const ctx: DiscoveryContext = {
    signal: new AbortController().signal,
    pacer: { acquire: (n = 1) => void (run.paced += n) },
    timeoutMs: 500,
    maxRetries,
    up: (ip, method, latencyMs) => void run.up.set(ip, { method, latencyMs }),
    done: (ip) => void run.done.push(ip),
    checkpoint: () => undefined,
  };
  await discovery.discover(hosts, ctx);
  return run;
}

const methods = (run: Run) => Object.fromEntries([...run.up].map(([ip, u]) => [ip, u.method]));
const sentTo = (run: Run, ip: string) => run.net.sent.filter((s) => s.dst === ip).map((s) => s.kind);

describe("raw host discovery", () => {
  test("on the local segment an ARP answer proves the host and nothing else is sent to it", async () => {
    const run = await discover(["198.18.0.10", "198.18.0.11"], { neighbours: ["198.18.0.10"] });
    expect(methods(run)).toEqual({ "198.18.0.10": "ARP" });
    expect(sentTo(run, "198.18.0.10")).toEqual(["arp"]);
    expect(run.done.sort()).toEqual(["198.18.0.10", "198.18.0.11"]);
    const latency = run.up.get("198.18.0.10")!.latencyMs!;
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(500);
  });

  test("a silent neighbour is down after 1 + --max-retries ARP requests (at most 3)", async () => {
    expect(sentTo(await discover(["198.18.0.11"], {}, 1), "198.18.0.11")).toEqual(["arp", "arp"]);
    expect(sentTo(await discover(["198.18.0.11"], {}, 10), "198.18.0.11")).toEqual(["arp", "arp", "arp"]);
    expect(sentTo(await discover(["198.18.0.11"], {}, 0), "198.18.0.11")).toEqual(["arp"]);
  });

  test("an IPv6 neighbour is found by NDP", async () => {
    const run = await discover(["2001:db8::10", "2001:db8::11"], { neighbours: ["2001:db8::10"] });
    expect(methods(run)).toEqual({ "2001:db8::10": "NDP" });
    expect(sentTo(run, "2001:db8::10")).toEqual(["ndp"]);
  });

  test("beyond the router: echo reply is ICMP; SYN-ACK or RST from 443 and RST from 80 are TCP; silence is down", async () => {
    const remote: Record<string, Remote> = {
      "198.19.0.1": { echo: true },
      "198.19.0.2": { syn443: "syn-ack" },
      "198.19.0.3": { syn443: "rst" },
      "198.19.0.4": { ack80: true },
    };
    const run = await discover(["198.19.0.1", "198.19.0.2", "198.19.0.3", "198.19.0.4", "198.19.0.5"], { remote });
    expect(methods(run)).toEqual({ "198.19.0.1": "ICMP", "198.19.0.2": "TCP", "198.19.0.3": "TCP", "198.19.0.4": "TCP" });
    expect(sentTo(run, "198.19.0.5")).toEqual(Array(3).fill(["echo", "syn:443", "ack:80"]).flat());
    // Probes go to the router's MAC, found by ARP on the wire; a SYN-ACK is torn down with a RST.
    expect(sentTo(run, "198.18.0.254")).toEqual(["arp"]);
    expect(new Set(run.net.sent.filter((s) => s.dst.startsWith("198.19.")).map((s) => s.dstMac))).toEqual(new Set([GATEWAY_MAC]));
    expect(sentTo(run, "198.19.0.2")).toContain("rst:443");
    expect(sentTo(run, "198.19.0.3")).not.toContain("rst:443");
    expect(run.done.length).toBe(5);
  });

  test("answers with the wrong echo id or seq, ack, sequence number or source are ignored", async () => {
    const run = await discover(["198.19.0.7"], { remote: { "198.19.0.7": { liar: true } } }, 1);
    expect(methods(run)).toEqual({});
    expect(sentTo(run, "198.19.0.7").filter((k) => k === "echo")).toHaveLength(2);
    expect(run.discovery.counters.unsolicited).toBe(2 * 5);
  });

  test("every probe sent went through the pacer", async () => {
    const run = await discover(["198.18.0.10", "198.18.0.11", "198.19.0.1", "198.19.0.5"], { neighbours: ["198.18.0.10"], remote: { "198.19.0.1": { echo: true } } });
    expect(run.paced).toBe(run.discovery.counters.sent);
    expect(run.paced).toBeGreaterThan(0);
  });

  test("the capture filter admits ARP, ICMP, ICMPv6 and TCP to our one source port", async () => {
    const run = await discover(["198.18.0.10"], { neighbours: ["198.18.0.10"] });
    expect(run.net.filters).toHaveLength(1);
    expect(run.net.filters[0]).toMatch(/^arp or icmp or icmp6 or \(tcp and dst port \d+\)$/);
  });

  test("hosts without a route and text that is no address are done and down", async () => {
    const run = await discover(["203.0.113.5", "not-an-ip"], {});
    expect(run.up.size).toBe(0);
    expect(run.done.sort()).toEqual(["203.0.113.5", "not-an-ip"]);
    expect(run.net.sent).toEqual([]);
  });

  test("loopback targets are handed to the loopback discovery (a connect), not injected on lo", async () => {
    const asked: string[] = [];
    const loopback: HostDiscovery = {
      discover: async (hosts, ctx) => {
        for (const h of hosts) {
          asked.push(h);
          ctx.up(h, "TCP", 0.5);
          ctx.done(h);
        }
      },
    };
    const run = await discover(["127.0.0.1", "198.18.0.1", "198.18.0.10"], { neighbours: ["198.18.0.10"], loopback });
    expect(asked.sort()).toEqual(["127.0.0.1", "198.18.0.1"]);
    expect(methods(run)).toEqual({ "127.0.0.1": "TCP", "198.18.0.1": "TCP", "198.18.0.10": "ARP" });
    expect(run.net.sent.map((s) => s.dst)).toEqual(["198.18.0.10"]);
  });
});

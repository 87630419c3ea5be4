// The compiled binary (dist/prtip, SYN because it runs as root) against the
// namespaced lab, every answer compared with the lab's ground truth. Needs root,
// iproute2, iptables, libpcap and util-linux's setpriv (all in .ci/run).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expected, interestingPorts, labUp, type Lab } from "./lab.ts";
import { binaryForNobody, only, PacketCounter, portLines, runPrtip } from "./prtip.ts";

const HOSTS_V4 = ["198.18.0.2", "198.18.0.10", "198.18.0.11", "198.18.0.12"];
const HOST_V6 = "2001:db8::10";
const FALLBACK = "prtip: SYN scan (-sS) needs root or CAP_NET_RAW; using connect scan (-sT)";

const verdicts = (lines: { target: string; port: number; state: string; reason: string }[]) =>
  lines.map((r) => `${r.target}:${r.port} ${r.state} ${r.reason}`).sort();

describe("dist/prtip -sS in the lab", () => {
  let lab: Lab;
  beforeAll(() => {
    lab = labUp();
  });
  afterAll(() => lab?.down());

  test("every state and reason matches the ground truth, IPv4 and IPv6", async () => {
    const hosts = [...HOSTS_V4, HOST_V6];
    const ports = interestingPorts(lab.truth, [1, 21, 23, 25, 110, 1024, 65534]);
    const run = await runPrtip(lab.truth, ["-sS", "-Pn", "-p", ports.join(","), "-v", "-oJ", "-", "--max-retries", "1", ...hosts]);
    expect(run.code).toBe(0);
    const want = hosts.flatMap((h) => ports.map((port) => ({ target: h, port, ...expected(lab.truth, h, port) })));
    expect(verdicts(portLines(run.events))).toEqual(verdicts(want));
    for (const line of portLines(run.events)) expect(line.event).toBe(line.target.includes(":") ? "IPv6PortFound" : "PortFound");
    const [done] = only(run.events, "ScanCompleted");
    expect(done).toMatchObject({
      ports_scanned: hosts.length * ports.length,
      open_ports: want.filter((w) => w.state === "Open").length,
      closed_ports: want.filter((w) => w.state === "Closed").length,
      filtered_ports: want.filter((w) => w.state === "Filtered").length,
    });
  });

  test("-sS -sU is one scan: the SYN pass matches the truth, then UDP ports without a listener are closed by the target's port unreachables", async () => {
    const tcp = interestingPorts(lab.truth, [1]).slice(0, 8);
    const udp = [53, 161];
    const hosts = ["198.18.0.10", "198.18.0.11"];
    const run = await runPrtip(lab.truth, ["-sS", "-sU", "-Pn", "-p", `T:${tcp.join(",")},U:${udp.join(",")}`, "-v", "-oJ", "-", "--max-retries", "1", ...hosts]);
    expect(run.code).toBe(0);
    const lines = portLines(run.events);
    const tcpWant = hosts.flatMap((h) => tcp.map((port) => ({ target: h, port, ...expected(lab.truth, h, port) })));
    expect(verdicts(lines.filter((l) => l.protocol === "Tcp"))).toEqual(verdicts(tcpWant));
    expect(verdicts(lines.filter((l) => l.protocol === "Udp"))).toEqual(hosts.flatMap((h) => udp.map((port) => `${h}:${port} Closed icmp-unreach`)).sort());
    // Every TCP result before the first UDP one: the UDP pass runs after the SYN pass.
    const firstUdp = lines.findIndex((l) => l.protocol === "Udp");
    expect(lines.slice(firstUdp).every((l) => l.protocol === "Udp")).toBe(true);
    expect(only(run.events, "ScanCompleted")).toEqual([expect.objectContaining({ ports_scanned: hosts.length * (tcp.length + udp.length) })]);
  });

  test("--exclude: the excluded host receives zero packets while its neighbours are scanned", async () => {
    const excluded = new PacketCounter(lab.truth, ["-d", "198.18.0.12"]);
    const neighbour = new PacketCounter(lab.truth, ["-d", "198.18.0.10", "-p", "tcp", "--syn"]);
    try {
      const run = await runPrtip(lab.truth, ["-sS", "-Pn", "-p", "1-100", "-oJ", "-", "--max-retries", "0", "--exclude", "198.18.0.12", "198.18.0.10-12"]);
      expect(run.code).toBe(0);
      expect(excluded.packets()).toBe(0);
      expect(neighbour.packets()).toBe(100);
      expect(new Set(portLines(run.events).map((l) => l.target))).toEqual(new Set(["198.18.0.10"]));
      expect(only(run.events, "ScanCompleted")[0]?.targets_scanned).toBe(2);
    } finally {
      excluded.remove();
      neighbour.remove();
    }
  });

  test("--max-rate holds: no 2 s window of SYNs on the wire is more than 5% above the cap", async () => {
    const rate = 1500;
    const probes = 4500;
    const syns = new PacketCounter(lab.truth, ["-s", "198.18.0.1", "-d", "198.18.0.2", "-p", "tcp", "--syn"]);
    const samples: { t: number; n: number }[] = [];
    let running = true;
    const sampler = (async () => {
      while (running) {
        const t = performance.now();
        const n = await syns.packetsAsync();
        samples.push({ t: (t + performance.now()) / 2, n });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const run = await runPrtip(lab.truth, ["-sS", "-Pn", "-p", `1-${probes}`, "-oJ", "-", "--max-retries", "0", "--max-rate", String(rate), "198.18.0.2"]);
      running = false;
      await sampler;
      expect(run.code).toBe(0);
      expect(syns.packets()).toBe(probes);
      const duration = Number(only(run.events, "ScanCompleted")[0]?.duration);
      expect(probes / duration).toBeLessThanOrEqual(rate * 1.05);
      let windows = 0;
      for (let i = 0; i < samples.length; i++) {
        for (let j = i + 1; j < samples.length; j++) {
          const seconds = (samples[j]!.t - samples[i]!.t) / 1000;
          if (seconds < 2) continue;
          windows++;
          expect((samples[j]!.n - samples[i]!.n) / seconds).toBeLessThanOrEqual(rate * 1.05);
          break;
        }
      }
      expect(windows).toBeGreaterThan(0);
    } finally {
      running = false;
      await sampler;
      syns.remove();
    }
  });

  test("-O names the lab's Linux target namespace", async () => {
    const run = await runPrtip(lab.truth, ["-sS", "-O", "-Pn", "-p", "22,23", "-oJ", "-", "198.18.0.10"]);
    expect(run.code).toBe(0);
    const [os] = only(run.events, "OSDetected");
    expect(os).toMatchObject({ target: "198.18.0.10", os: "Linux" });
    expect(Number(os?.confidence)).toBeGreaterThan(0);
  });

  test("unprivileged, without -Pn: connect discovery finds the firewalled host down and does not port-scan it", async () => {
    // As root, discovery on this segment is ARP (test/lab/discovery.test.ts), which
    // finds the firewalled host up as nmap does; without privileges it is connects
    // to 80 and 443, which that host drops.
    const copy = binaryForNobody();
    try {
      const run = await runPrtip(lab.truth, ["-sT", "-p", "22,23", "-v", "-oJ", "-", "--max-retries", "1", ...HOSTS_V4], { asNobody: true, binary: copy.path });
      expect(run.code).toBe(0);
      const up = HOSTS_V4.filter((h) => h !== "198.18.0.11");
      const want = up.flatMap((h) =>
        [22, 23].map((port) => {
          const v = expected(lab.truth, h, port);
          return { target: h, port, state: v.state, reason: v.state === "Open" ? "connect" : v.reason };
        }),
      );
      expect(verdicts(portLines(run.events))).toEqual(verdicts(want));
      expect(only(run.events, "ScanCompleted")[0]?.hosts_up).toBe(up.length);
    } finally {
      copy.remove();
    }
  });

  test("run as nobody, -sn finds the host up without a word about SYN scans: it scans no ports", async () => {
    const copy = binaryForNobody();
    try {
      const run = await runPrtip(lab.truth, ["-sn", "-oJ", "-", "198.18.0.10"], { asNobody: true, binary: copy.path });
      expect(run.code).toBe(0);
      expect(run.stderr).not.toContain(FALLBACK);
      expect(only(run.events, "ScanCompleted")[0]?.hosts_up).toBe(1);
    } finally {
      copy.remove();
    }
  });

  test("run as nobody, -sS says once that it falls back to connect and still finds the open ports", async () => {
    const copy = binaryForNobody();
    try {
      const ports = [22, 23, 80, 443, 8080];
      const run = await runPrtip(lab.truth, ["-sS", "-Pn", "-p", ports.join(","), "-oJ", "-", "198.18.0.10"], { asNobody: true, binary: copy.path });
      expect(run.code).toBe(0);
      expect(run.stderr.split("\n").filter((l) => l.startsWith("prtip:"))).toEqual([FALLBACK]);
      const open = ports.filter((p) => expected(lab.truth, "198.18.0.10", p).state === "Open");
      expect(verdicts(portLines(run.events))).toEqual(verdicts(open.map((port) => ({ target: "198.18.0.10", port, state: "Open", reason: "connect" }))));
    } finally {
      copy.remove();
    }
  });
});

describe("dist/prtip -sS under 30% loss both ways", () => {
  let lab: Lab;
  beforeAll(() => {
    lab = labUp({ loss: 0.3 });
  });
  afterAll(() => lab?.down());

  // 16 attempts at a 0.51 chance of losing one (0.3 each way): a miss per run is ~2e-4, not ~0.7% as with 11.
  test("--max-retries 15 finds every open port and invents none", async () => {
    const hosts = ["198.18.0.10", HOST_V6];
    const ports = interestingPorts(lab.truth, Array.from({ length: 100 }, (_, i) => i + 1));
    const run = await runPrtip(lab.truth, ["-sS", "-Pn", "-p", ports.join(","), "-oJ", "-", "--max-retries", "15", ...hosts]);
    expect(run.code).toBe(0);
    const open = portLines(run.events).filter((l) => l.state === "Open").map((l) => `${l.target}:${l.port}`).sort();
    const want = hosts.flatMap((h) => ports.filter((p) => expected(lab.truth, h, p).state === "Open").map((p) => `${h}:${p}`)).sort();
    expect(open).toEqual(want);
  });
});

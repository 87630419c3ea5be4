import { afterAll, beforeAll, expect, test } from "bun:test";
import { execFileSync, spawnSync } from "node:child_process";

// A namespace of our own, so the firewall rules touch nothing outside this test.
const NS = `prtip-det-udp-${process.pid}`;
const DROPPED = 40001;
const REJECTED = 40002;
const CLOSED = 40003;

function inNs(...args: string[]): string {
  return execFileSync("ip", ["netns", "exec", NS, ...args], { encoding: "utf8" });
}

beforeAll(() => {
  execFileSync("ip", ["netns", "add", NS]);
  try {
    inNs("ip", "link", "set", "lo", "up");
    inNs("iptables", "-A", "INPUT", "-p", "udp", "--dport", String(DROPPED), "-j", "DROP");
    inNs("iptables", "-A", "INPUT", "-p", "udp", "--dport", String(REJECTED), "-j", "REJECT", "--reject-with", "icmp-admin-prohibited");
  } catch (err) {
    spawnSync("ip", ["netns", "del", NS]);
    throw err;
  }
});

afterAll(() => {
  spawnSync("ip", ["netns", "del", NS]);
});

test("UDP scan behind a firewall: DROP is OpenFiltered no-response, REJECT admin-prohibited Filtered, no listener Closed", () => {
  const run = spawnSync(
    "ip",
    ["netns", "exec", NS, process.execPath, "test/scan/udp-netns-runner.ts", String(DROPPED), String(REJECTED), String(CLOSED)],
    { encoding: "utf8", cwd: `${import.meta.dir}/../..` },
  );
  expect(run.stderr).toBe("");
  const results = new Map((JSON.parse(run.stdout) as [number, string, string][]).map(([port, state, reason]) => [port, `${state} ${reason}`]));
  expect(results.get(DROPPED)).toBe("OpenFiltered no-response");
  expect(results.get(REJECTED)).toBe("Filtered icmp-unreach");
  expect(results.get(CLOSED)).toBe("Closed icmp-unreach");
});

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DENO_PERMISSIONS } from "../../scripts/deno-permissions.ts";
import { ROOT, ensureBinary } from "./harness.ts";

// In a network namespace of its own (lo only) whose ephemeral port range is the
// one port 40000, every connect and UDP probe to 127.0.0.1:40000 leaves from
// 40000: the self-connect that a -p- scan of localhost meets now and then,
// made to happen every time. Nothing leaves the namespace.
const PORT = 40000;
const SETUP = `ip link set lo up && sysctl -qw net.ipv4.ip_local_port_range="${PORT} ${PORT}" && exec "$@"`;
const canUnshare = process.getuid?.() === 0 && spawnSync("unshare", ["-n", "true"]).status === 0;

function inNamespace(command: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("unshare", ["-n", "sh", "-c", SETUP, "sh", ...command], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const runtimes: [string, () => string[]][] = [
  ["compiled binary (Bun sockets, node:dgram)", () => [ensureBinary()]],
  ["Deno (node:net, libc UDP socket)", () => [join(ROOT, "node_modules/.bin/deno"), "run", "-q", ...DENO_PERMISSIONS, join(ROOT, "src/main.ts")]],
];

describe.skipIf(!canUnshare)("a probe whose source port is the closed target port", () => {
  for (const [name, prtip] of runtimes) {
    for (const [flag, proto] of [["-sT", "tcp"], ["-sU", "udp"]] as const) {
      test(`${name}: ${flag} reports it closed, not open`, () => {
        const r = inNamespace([...prtip(), flag, "-Pn", "-p", String(PORT), "--no-progress", "-oG", "-", "127.0.0.1"]);
        expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
        expect(r.stdout).toContain(`Ports: ${PORT}/closed/${proto}//`);
      });
    }
  }
});

// sendmmsg on sending threads (thread, thread2) against the PACKET_TX_RING
// sender (txring, txring2), the bare send loop of send-ceiling.ts, in a lab of
// its own: rounds interleave the modes, the table shows medians, each run's
// frames are checked against the device's tx_packets counter. Root; run under
// the bench lock:
//   flock -x /tmp/prtip-bench.lock node_modules/.bin/bun scripts/bench-txring.ts [ROUNDS] [COUNT] [MODE...]
// A mode may carry send-ceiling's TXRING_* settings: txring2:TXRING_KICK=256,TXRING_DONTWAIT=1
import { readFileSync } from "node:fs";
import { median } from "./bench-table.ts";

const [roundsText = "5", countText = "500000", ...modeArgs] = process.argv.slice(2);
const rounds = Number(roundsText);
const count = Number(countText);
const modes = modeArgs.length ? modeArgs : ["thread", "thread2", "txring", "txring2"];
const LAB = "prtip-lab-txbench";
const root = new URL("..", import.meta.url).pathname;
const bun = `${root}node_modules/.bin/bun`;

function run(cmd: string[], env: Record<string, string> = {}): string {
  const r = Bun.spawnSync(cmd, { cwd: root, env: { ...process.env, ...env }, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")}: exit ${r.exitCode}: ${r.stderr.toString().trim()}`);
  return r.stdout.toString().trim();
}

const pps: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m, []]));
try {
  const truth = JSON.parse(readFileSync(run(["bash", "scripts/lab.sh", "up", LAB, "--extra-hosts", "20"]), "utf8")) as { targetMac: string };
  // The target drops the SYNs before its TCP stack: what is measured is the sender, not the replies.
  run(["ip", "netns", "exec", `${LAB}-t`, "iptables", "-t", "raw", "-I", "PREROUTING", "-p", "tcp", "--tcp-flags", "SYN,ACK", "SYN", "-j", "DROP"]);
  for (let r = 0; r < rounds; r++) {
    for (const mode of modes) {
      const [name, settings = ""] = mode.split(":");
      const env = Object.fromEntries(settings.split(",").filter(Boolean).map((kv) => kv.split("=") as [string, string]));
      const line = run(["ip", "netns", "exec", `${LAB}-s`, bun, "scripts/send-ceiling.ts", "s0", truth.targetMac, "198.18.0.10", "198.18.0.12", String(count), name!], env);
      const result = JSON.parse(line.split("\n").pop()!) as { frames: number; sendPps: number; wire: number };
      if (result.wire < result.frames) throw new Error(`${mode}: ${result.frames} frames sent but tx_packets grew by ${result.wire}`);
      pps[mode]!.push(result.sendPps);
    }
  }
} finally {
  run(["bash", "scripts/lab.sh", "down", LAB]);
}
const base = median(pps[modes[0]!]!);
console.log(`${count} SYNs per run, ${rounds} rounds interleaved; frames/s (M), median and range; ratio to ${modes[0]}`);
for (const mode of modes) {
  const v = pps[mode]!;
  const m = median(v);
  console.log(`${mode.padEnd(40)} ${(m / 1e6).toFixed(3)}  [${(Math.min(...v) / 1e6).toFixed(2)}–${(Math.max(...v) / 1e6).toFixed(2)}]  ×${(m / base).toFixed(2)}`);
}

// `prtip log replay --live` and `prtip --live` on a real terminal: tmux runs the
// compiled binary, send-keys types, capture-pane reads the screen.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFactory, encodeEvent, type FieldsOf, type EventType } from "../../src/events/index.ts";
import { logEndedLine, logStartedLine } from "../../src/log/index.ts";
import { ensureBinary } from "./harness.ts";

const socket = `prtip-e2e-live-${process.pid}`;
let dir = "";
let log = "";
const OPEN = [22, 80, 443, 1500, 1999];

function tmux(...args: string[]): string {
  const r = Bun.spawnSync(["tmux", "-L", socket, ...args], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

async function until(session: string, what: string, ok: (s: string) => boolean, ms = 10_000): Promise<string> {
  const end = Date.now() + ms;
  let s = "";
  while (Date.now() < end) {
    s = tmux("capture-pane", "-p", "-t", session);
    if (ok(s)) return s;
    await Bun.sleep(50);
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
}

/** A recorded scan: 5 open ports among 2,000 probes over 6 seconds of log time. */
function writeRecording(path: string) {
  let now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const f = new EventFactory("5b0b7c7e-8f3a-4c1d-9e2b-1a2b3c4d5e6f", { now: () => now });
  let seq = 0;
  const lines = [logStartedLine(now)];
  const add = <T extends EventType>(type: T, fields: FieldsOf<T>) => {
    const e = f.make(type, fields);
    e.seq = ++seq;
    lines.push(encodeEvent(e));
  };
  add("ScanStarted", { scan_type: "Syn", target_count: 1, port_count: 2000 });
  add("StageChanged", { from: null, to: "PortScanning", stage: 3 });
  for (let p = 1; p <= 2000; p++) {
    now += 3;
    const open = OPEN.includes(p);
    const e = f.portFound({ target: "198.18.0.10", port: p, protocol: "Tcp", state: open ? "Open" : "Closed", reason: open ? "syn-ack" : "rst" });
    e.seq = ++seq;
    lines.push(encodeEvent(e));
    if (p % 250 === 0) {
      add("ProgressUpdate", { stage: 3, percentage: (p / 2000) * 100, completed: p, total: 2000, pps: 333, ports_per_sec: 333, hosts_per_min: 10, bandwidth_bps: 20000, eta_seconds: null });
    }
  }
  add("ScanCompleted", { targets_scanned: 1, ports_scanned: 2000, duration: 6, hosts_up: 1, open_ports: 5, closed_ports: 1995, filtered_ports: 0, services_detected: 0 });
  lines.push(logEndedLine(now, seq, 0));
  writeFileSync(path, lines.join("\n") + "\n");
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "prtip-live-"));
  log = join(dir, "scan.jsonl");
  writeRecording(log);
  ensureBinary();
});

afterAll(() => {
  Bun.spawnSync(["tmux", "-L", socket, "kill-server"], { stdout: "ignore", stderr: "ignore" });
  rmSync(dir, { recursive: true, force: true });
});

const after = (cmd: string) => `${cmd}; echo "exit $?"; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon'; sleep 30`;
const openRows = (s: string) => [...s.matchAll(/^ 198\.18\.0\.10 +(\d+) tcp +open/gm)].map((m) => Number(m[1]));

describe("--live on a terminal", () => {
  test("log replay --live shows the log's ports; p pauses; after the end q quits and restores the terminal", async () => {
    tmux("new-session", "-d", "-s", "replay", "-x", "110", "-y", "34", "bash", "-c", after(`${ensureBinary()} log replay --live ${log}`));
    const first = await until("replay", "two open ports", (s) => openRows(s).length >= 2);
    expect(tmux("display", "-p", "-t", "replay", "#{alternate_on}").trim()).toBe("1");
    for (const port of openRows(first)) expect(OPEN).toContain(port);

    tmux("send-keys", "-t", "replay", "p");
    const paused = await until("replay", "PAUSED", (s) => s.includes("prtip PAUSED"));
    await Bun.sleep(700);
    expect(openRows(tmux("capture-pane", "-p", "-t", "replay"))).toEqual(openRows(paused));
    tmux("send-keys", "-t", "replay", "p");
    const all = await until("replay", "every open port after resuming", (s) => openRows(s).length === OPEN.length);
    expect(openRows(all).sort((a, b) => a - b)).toEqual(OPEN);

    // The last open port is not the end of the log: q quits (exit 0) only once the replay has ended.
    await until("replay", "the end of the replay", (s) => s.includes("q leave"));
    tmux("send-keys", "-t", "replay", "q");
    const end = await until("replay", "the exit", (s) => /^-?icanon$/m.test(s));
    expect(end).toContain("exit 0");
    expect(end).toMatch(/^icanon$/m);
    expect(tmux("display", "-p", "-t", "replay", "#{alternate_on} #{cursor_flag}").trim()).toBe("0 1");
  }, 40_000);

  test("a scan with --live shows a loopback listener and q cancels it with 130", async () => {
    const server: Server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      // About 8 s of scanning at this rate: q lands while it runs.
      const cmd = `${ensureBinary()} -sT -Pn -p 1-4000,${port} --max-rate 500 --seed 1 --live 127.0.0.1`;
      tmux("new-session", "-d", "-s", "scan", "-x", "110", "-y", "34", "bash", "-c", after(cmd));
      await until("scan", "the listener", (s) => new RegExp(`^ 127\\.0\\.0\\.1 +${port} tcp +open`, "m").test(s), 40_000);
      tmux("send-keys", "-t", "scan", "q");
      const end = await until("scan", "the exit", (s) => /^-?icanon$/m.test(s));
      expect(end).toContain("exit 130");
      expect(end).toContain(`${port}/tcp`);
      expect(tmux("display", "-p", "-t", "scan", "#{alternate_on} #{cursor_flag}").trim()).toBe("0 1");
    } finally {
      server.close();
    }
  }, 60_000);
});

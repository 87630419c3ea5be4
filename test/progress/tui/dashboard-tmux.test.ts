// The dashboard on a real terminal: tmux runs the driver, send-keys types,
// capture-pane reads the screen. Needs the tmux APT package (in .ci/run).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { syntheticScan } from "../synthetic-scan.ts";

const socket = `prtip-progress-${process.pid}`;
const root = new URL("../../..", import.meta.url).pathname;
const bun = `${root}node_modules/.bin/bun`;

function tmux(...args: string[]): string {
  const r = Bun.spawnSync(["tmux", "-L", socket, ...args], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

const screen = (session = "dash") => tmux("capture-pane", "-p", "-t", session);

async function until(what: string, ok: (s: string) => boolean, session = "dash", ms = 8000): Promise<string> {
  const end = Date.now() + ms;
  let s = "";
  while (Date.now() < end) {
    s = screen(session);
    if (ok(s)) return s;
    await Bun.sleep(50);
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
}

const openCount = (s: string) => Number(/Open ports \((\d+)/.exec(s)?.[1] ?? -1);

describe("--live dashboard in tmux", () => {
  const start = (session: string) => {
    const script =
      `${bun} test/progress/tui/dashboard-driver.ts --step-ms 150 --seed 7; echo "driver exit $?"; ` +
      `stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon'; sleep 30`;
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", "-c", root, "bash", "-c", script);
  };

  beforeAll(() => start("dash"));

  afterAll(() => {
    Bun.spawnSync(["tmux", "-L", socket, "kill-server"], { stdout: "ignore", stderr: "ignore" });
  });

  test(
    "shows the scan's ports; p pauses and resumes; q cancels and restores the terminal",
    async () => {
      const shown = await until("open ports", (s) => openCount(s) >= 3);
      expect(tmux("display", "-p", "-t", "dash", "#{alternate_on} #{cursor_flag}").trim()).toBe("1 0");
      const trace = syntheticScan({ seed: 7, targets: 64, ports: 1000, rate: 400, openRatio: 0.004 });
      const found = new Set(trace.events.flatMap((e) => (e.event === "PortFound" ? [`${e.target}:${e.port}`] : [])));
      const rows = [...shown.matchAll(/^ (198\.18\.0\.\d+) +(\d+) tcp +open/gm)].map((m) => `${m[1]}:${m[2]}`);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const r of rows) expect(found.has(r)).toBe(true);

      tmux("send-keys", "-t", "dash", "p");
      const paused = await until("PAUSED", (s) => s.includes(" prtip PAUSED │") && s.includes("p resume"));
      await Bun.sleep(600);
      const still = screen();
      expect(openCount(still)).toBe(openCount(paused));
      expect(/Overall .*? (\d+)%/.exec(still)?.[1]).toBe(/Overall .*? (\d+)%/.exec(paused)?.[1]);

      tmux("send-keys", "-t", "dash", "p");
      await until("RUNNING again", (s) => s.includes(" prtip RUNNING │"));
      await until("more ports after resuming", (s) => openCount(s) > openCount(still));

      tmux("send-keys", "-t", "dash", "q");
      const after = await until("the driver's exit", (s) => /^-?icanon$/m.test(s));
      expect(after).toMatch(/driver: ScanCancelled; published (\d+), seen \1, seq gaps 0, listener errors 0/);
      expect(after).toContain("driver exit 0");
      expect(after).toMatch(/^icanon$/m); // cooked mode back
      expect(after).not.toContain("Open ports"); // main screen back, dashboard gone
      expect(tmux("display", "-p", "-t", "dash", "#{alternate_on} #{cursor_flag}").trim()).toBe("0 1");
    },
    30_000,
  );

  test(
    "SIGTERM restores the terminal and cancels the scan",
    async () => {
      start("term");
      await until("open ports", (s) => openCount(s) >= 1, "term");
      const shell = tmux("display", "-p", "-t", "term", "#{pane_pid}").trim();
      const child = Bun.spawnSync(["pgrep", "-P", shell], { stdout: "pipe" }).stdout.toString().trim().split("\n")[0]!;
      expect(child).toMatch(/^\d+$/);
      Bun.spawnSync(["kill", "-TERM", child]);
      const after = await until("the driver's exit", (s) => /^-?icanon$/m.test(s), "term");
      expect(after).toContain("driver: ScanCancelled");
      expect(after).toMatch(/^icanon$/m);
      expect(tmux("display", "-p", "-t", "term", "#{alternate_on} #{cursor_flag}").trim()).toBe("0 1");
    },
    30_000,
  );
});

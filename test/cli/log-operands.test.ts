import { describe, expect, test } from "bun:test";
import { run } from "../../src/cli/index.ts";
import { ended, ev, fakeRuntime, port, started, tempDir, text } from "../analyze/helpers.ts";

// `prtip log SUB FILE…`: every operand is read, in order, a lone - being stdin at its place (cat a - b).

async function prtip(args: string[], stdin = "") {
  const rt = fakeRuntime(new TextEncoder().encode(stdin));
  const code = await run(args, rt);
  return { code, out: rt.out(), err: rt.err() };
}

/** A one-scan log whose only PortFound is `p`, so each input is told apart by its port. */
const log = (p: number, state = "Open") => text([started(0), ev("ScanStarted", 0, { scan_type: "Connect", target_count: 1, port_count: 1 }), port(1, "127.0.0.1", p, state), ev("ScanCompleted", 2, { targets_scanned: 1, ports_scanned: 1, duration: 0.002, hosts_up: 1, open_ports: state === "Open" ? 1 : 0, closed_ports: 0, filtered_ports: 0, services_detected: 0 }), ended(3, 3)]);
const ports = (out: string) => out.split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { port: number }).port);

describe("a lone - among the files", () => {
  test("a lone - among files reads stdin at its place, as cat does", async () => {
    const t = tempDir();
    try {
      const a = t.file("a.jsonl", log(1));
      const b = t.file("b.jsonl", log(3));
      for (const [args, order] of [
        [[a, "-", b], [1, 2, 3]],
        [["-", a, b], [2, 1, 3]],
        [[a, b, "-"], [1, 3, 2]],
      ] as const) {
        const { code, out, err } = await prtip(["log", "filter", "--event", "PortFound", ...args], log(2));
        expect({ args, code, err, ports: ports(out) }).toEqual({ args, code: 0, err: "", ports: [...order] });
      }
    } finally {
      t.cleanup();
    }
  });

  test("- right after an option that takes no value is stdin, not the option's value", async () => {
    const t = tempDir();
    try {
      const b = t.file("b.jsonl", log(3));
      expect(await prtip(["log", "filter", "--count", "-", b], log(2))).toEqual({ code: 0, out: "6\n", err: "" });
      expect(await prtip(["log", "filter", "--count", b, "-"], log(2))).toEqual({ code: 0, out: "6\n", err: "" });
    } finally {
      t.cleanup();
    }
  });

  test("summary, replay and tail read every operand too", async () => {
    const t = tempDir();
    try {
      const b = t.file("b.jsonl", log(3));
      const summary = await prtip(["log", "summary", "--json", "-", b], log(2));
      expect((JSON.parse(summary.out) as { scans: { openPorts: number }[] }).scans.reduce((n, s) => n + s.openPorts, 0)).toBe(2);
      const replayed = await prtip(["log", "replay", "--speed", "max", "--emit", "--event", "PortFound", "-", b], log(2));
      expect(ports(replayed.out)).toEqual([2, 3]);
      const tailed = await prtip(["log", "tail", "-n", "2", "--event", "PortFound", b, "-"], log(2));
      expect(ports(tailed.out)).toEqual([3, 2]);
    } finally {
      t.cleanup();
    }
  });

  test("log diff A - compares A with stdin", async () => {
    const t = tempDir();
    try {
      const a = t.file("a.jsonl", log(8009));
      expect(await prtip(["log", "diff", a, "-"], log(8009, "Closed"))).toEqual({ code: 0, out: "-127.0.0.1 8009/tcp no longer open\n", err: "" });
      expect(await prtip(["log", "diff", "-", a], log(8009, "Closed"))).toEqual({ code: 0, out: "+127.0.0.1 8009/tcp open\n", err: "" });
    } finally {
      t.cleanup();
    }
  });

  test("- twice reads stdin once, as cat does; - after -- is stdin too", async () => {
    expect(await prtip(["log", "filter", "--count", "-", "-"], log(2))).toEqual({ code: 0, out: "3\n", err: "" });
    expect(await prtip(["log", "filter", "--count", "--", "-"], log(2))).toEqual({ code: 0, out: "3\n", err: "" });
  });

  test("- as the value of an option that takes one is refused as a missing value", async () => {
    const { code, err } = await prtip(["log", "filter", "--event", "-"], log(2));
    expect(code).toBe(2);
    expect(err).toContain("--event");
  });
});

describe("log tail -f on a path that does not exist yet", () => {
  test("tail -f waits for a missing file to appear, saying so once, then follows it, as tail -F does", async () => {
    const t = tempDir();
    try {
      const path = `${t.dir}/later.jsonl`;
      const rt = fakeRuntime();
      const running = run(["log", "tail", "-f", path], rt);
      await Bun.sleep(300);
      expect(rt.err()).toBe(`prtip: waiting for ${path}\n`);
      expect(rt.out()).toBe("");
      t.file("later.jsonl", log(22));
      for (let i = 0; i < 40 && !rt.out().includes('"port":22'); i++) await Bun.sleep(50);
      rt.signal("SIGINT");
      expect(await running).toBe(130);
      expect(ports(rt.out().split("\n").filter((l) => l.includes("PortFound")).join("\n"))).toEqual([22]);
      expect(rt.err()).toBe(`prtip: waiting for ${path}\n`);
    } finally {
      t.cleanup();
    }
  });

  test("tail -f of a name rotation replaced (only scan.3.jsonl there) follows the set without waiting", async () => {
    const t = tempDir();
    try {
      t.file("scan.3.jsonl", log(33));
      const rt = fakeRuntime();
      const running = run(["log", "tail", "-f", `${t.dir}/scan.jsonl`], rt);
      for (let i = 0; i < 40 && !rt.out().includes('"port":33'); i++) await Bun.sleep(50);
      rt.signal("SIGINT");
      expect(await running).toBe(130);
      expect(rt.out()).toContain('"port":33');
      expect(rt.err()).toBe("");
    } finally {
      t.cleanup();
    }
  });

  test("Ctrl-C while waiting ends with 130 and nothing read", async () => {
    const rt = fakeRuntime();
    const running = run(["log", "tail", "-f", "/nonexistent-dir/x.jsonl"], rt);
    await Bun.sleep(50);
    rt.signal("SIGINT");
    expect(await running).toBe(130);
    expect(rt.out()).toBe("");
  });

  test("without -f a missing file is still an error (exit 2)", async () => {
    const { code, err } = await prtip(["log", "tail", "/nonexistent-dir/x.jsonl"]);
    expect(code).toBe(2);
    expect(err).toContain('invalid log file "/nonexistent-dir/x.jsonl": no such file or folder');
  });
});

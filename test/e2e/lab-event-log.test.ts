import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Lab, labUp } from "../lab/lab.ts";
import { ensureBinary } from "./harness.ts";

// A SYN scan drops root before its first probe; its event log, in a folder only
// root may enter, must still be written whole.

let lab: Lab | null = null;
let dir = "";

beforeAll(() => {
  lab = labUp();
  dir = mkdtempSync(join(tmpdir(), "prtip-lab-log-"));
});

afterAll(() => {
  lab?.down();
  rmSync(dir, { recursive: true, force: true });
});

test("-sS as root with --event-log in a root-only folder logs every event after dropping root", () => {
  const path = join(dir, "scan.jsonl");
  const r = Bun.spawnSync(["ip", "netns", "exec", lab!.truth.scannerNs, ensureBinary(), "-sS", "-Pn", "-p", "22,80,113", "--event-log", path, "198.18.0.10"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(r.stderr.toString()).toBe("");
  expect(r.exitCode).toBe(0);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.at(-1)).toMatchObject({ event: "log_ended", events: lines.length - 2 });
  const ports = lines.filter((l) => l.event === "PortFound").map((l) => [l.port, l.state]);
  expect(ports.sort()).toEqual([[113, "Closed"], [22, "Open"], [80, "Open"]].sort());
  expect(lines.find((l) => l.event === "ScanStarted")).toMatchObject({ scan_type: "Syn" });
});

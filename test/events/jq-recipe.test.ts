import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBus, EventFactory, encodeEvent } from "../../src/events/index.ts";

test("the design's jq recipe counts ports on lines our encoder wrote", () => {
  const bus = new EventBus();
  const f = new EventFactory();
  const lines: string[] = [];
  bus.on({}, (e) => lines.push(encodeEvent(e)));
  bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 2, port_count: 3 }));
  for (const [target, port] of [["198.18.0.1", 80], ["198.18.0.2", 80], ["198.18.0.1", 22], ["198.18.0.2", 443]] as const) {
    bus.publish(f.portFound({ target, port, protocol: "Tcp", state: "Open", reason: "connect" }));
  }
  bus.publish(f.make("WarningIssued", { message: 'odd "quote"\n', severity: "low", code: "odd" }));
  const dir = mkdtempSync(join(tmpdir(), "prtip-jq-"));
  try {
    const file = join(dir, "scans.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const jq = Bun.spawnSync(["sh", "-c", `jq -r 'select(.event == "PortFound") | .port' "$1" | sort -n | uniq -c`, "sh", file]);
    expect(jq.exitCode).toBe(0);
    const counts = jq.stdout.toString().trim().split("\n").map((l) => l.trim().split(/\s+/));
    expect(counts).toEqual([["1", "22"], ["2", "80"], ["1", "443"]]);
    const seqs = Bun.spawnSync(["jq", "-r", ".seq", file]).stdout.toString().trim().split("\n");
    expect(seqs).toEqual(["1", "2", "3", "4", "5", "6"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

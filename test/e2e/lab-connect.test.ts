import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Lab, labUp } from "../lab/lab.ts";
import { ensureBinary } from "./harness.ts";

// An unprivileged connect scan of the lab's segment: only hosts that are there are up.

let lab: Lab | null = null;
beforeAll(() => {
  lab = labUp();
});
afterAll(() => lab?.down());

test("-sT without privileges: an absent address and the subnet broadcast are down, a live host is up", () => {
  const r = Bun.spawnSync(
    ["ip", "netns", "exec", lab!.truth.scannerNs, "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
      ensureBinary(), "-sT", "-p", "22,80", "-oJ", "-", "198.18.0.10", "198.18.0.200", "198.18.0.255"],
    { stdout: "pipe", stderr: "pipe" },
  );
  expect(r.exitCode).toBe(0);
  const events = r.stdout.toString().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  const targets = new Set(events.filter((e) => e.event === "PortFound").map((e) => e.target));
  expect([...targets]).toEqual(["198.18.0.10"]);
  expect(events.at(-1)).toMatchObject({ event: "ScanCompleted", targets_scanned: 3, hosts_up: 1 });
});

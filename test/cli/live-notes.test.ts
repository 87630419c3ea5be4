import { describe, expect, test } from "bun:test";
import { run } from "../../src/cli/index.ts";
import { EventBus, EventFactory } from "../../src/events/index.ts";
import { attachOutputs } from "../../src/output/index.ts";
import { META, capture } from "../output/fixtures.ts";
import { oneStreamRuntime } from "./one-stream.ts";

describe("an asked-for --live that cannot be shown says why (audit s9-ui #12)", () => {
  test("--live with stdout not a terminal: one line naming the reason", async () => {
    const { rt, text } = oneStreamRuntime(false);
    expect(await run(["-sT", "-p", "1-5", "--live", "127.0.0.1"], rt)).toBe(0);
    expect(text().match(/prtip: --live shows no dashboard: standard output is not a terminal\n/g)?.length).toBe(1);
  });

  test("-q --live on a terminal: one line naming -q", async () => {
    const { rt, text } = oneStreamRuntime(true);
    expect(await run(["-sT", "-q", "-p", "1-5", "--live", "127.0.0.1"], rt)).toBe(0);
    expect(text()).toContain("prtip: --live shows no dashboard with -q (quiet: no progress at all)\n");
  });
});

describe("--live and stderr", () => {
  test("a refused --live scan gives stderr back as it found it, its error printed", async () => {
    const { rt, text } = oneStreamRuntime(true);
    const write = rt.stderr.write;
    expect(await run(["-sT", "-p", "99999", "--live", "127.0.0.1"], rt)).toBe(2);
    expect(rt.stderr.write).toBe(write);
    expect(text()).toContain("99999");
  });
});

describe("the cancel line (audit s9-ui #17)", () => {
  test("q in the dashboard reads 'cancelled by the user'; the event keeps user_requested", () => {
    const bus = new EventBus();
    const out = capture();
    attachOutputs(bus, { screen: out.sink }, META);
    const f = new EventFactory("1b4e28ba-2fa1-4d2b-a4c2-0f1e2d3c4b5a");
    bus.publish(f.make("ScanStarted", { scan_type: "Connect", target_count: 1, port_count: 1 }));
    const cancelled = f.make("ScanCancelled", { reason: "user_requested", partial_results: true });
    bus.publish(cancelled);
    expect(out.text()).toContain("prtip cancelled by the user; results above are partial\n");
    expect(out.text()).not.toContain("user_requested");
    expect(cancelled.reason).toBe("user_requested");
  });
});

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "fflate";
import { threadGzip } from "../../src/runtime/bun-gzip.ts";

/** Nice values of this process's threads, from /proc (field 19 of a task's stat). */
function threadNices(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe("gzip on a low-priority thread (Bun's gzip for rotated logs)", () => {
  test("compresses to a gzip member that inflates to the same bytes, call after call", async () => {
    const gzip = threadGzip();
    const line = new TextEncoder().encode('{"event":"PortFound","target":"198.18.0.1","port":80}\n');
    const inputs = [new Uint8Array(0), line, new Uint8Array(3_000_000).map((_, i) => line[i % line.length]!)];
    // The gzip may take its input over (a whole buffer is transferred): give it copies.
    const outputs = await Promise.all(inputs.map((b) => gzip(b.slice())));
    for (const [i, out] of outputs.entries()) {
      expect([out[0], out[1]]).toEqual([0x1f, 0x8b]);
      expect(gunzipSync(out)).toEqual(inputs[i]!);
    }
  });

  test("the deflate runs on a thread of nice 19, and the scan's thread keeps its priority", async () => {
    const before = threadNices();
    await threadGzip()(new Uint8Array(1000));
    const after = threadNices();
    expect(after.filter((n) => n === 19).length).toBe(before.filter((n) => n === 19).length + 1);
    expect(Number(readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")[16])).toBe(before[0]!);
  });

  test("an idle gzip thread does not keep a finished program alive", async () => {
    const script = `import { threadGzip } from ${JSON.stringify(import.meta.dir + "/../../src/runtime/bun-gzip.ts")};
      const out = await threadGzip()(new Uint8Array(10)); console.log(out.length > 10 ? "done" : "short");`;
    const child = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
    const timer = setTimeout(() => child.kill(), 10_000);
    const out = await new Response(child.stdout).text();
    const code = await child.exited;
    clearTimeout(timer);
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: "done" });
  });
});

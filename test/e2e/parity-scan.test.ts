import { afterAll, beforeAll, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { normalise, runBinaryAsync, runDenoAsync } from "./harness.ts";

// The same connect scan of a loopback listener from the Bun binary and the Deno entry.

let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});

afterAll(() => server.close());

for (const output of [["-oN", "-"], ["-oJ", "-"], ["-oG", "-"]]) {
  test(`connect scan ${output.join(" ")} is identical on Bun and Deno`, async () => {
    const args = ["-sT", "-Pn", "--seed", "7", "-p", `${port},1`, "-v", ...output, "127.0.0.1"];
    const [bun, deno] = await Promise.all([runBinaryAsync(args), runDenoAsync(args)]);
    expect(bun.code).toBe(0);
    expect(bun.stdout).toContain(String(port));
    // Answers race each other, so event lines are compared as a set, seq masked.
    const same = (text: string) =>
      output[0] === "-oJ" ? normalise(text).replace(/"seq":\d+/g, '"seq":<n>').split("\n").sort().join("\n") : normalise(text);
    expect(same(deno.stdout)).toBe(same(bun.stdout));
    expect(normalise(deno.stderr)).toBe(normalise(bun.stderr));
    expect(deno.code).toBe(bun.code);
  });
}

test("a name that does not resolve gets the same one-line refusal on Bun and Deno", async () => {
  // Offline: the lookup fails in a namespace with no network, and no query leaves the
  // machine; the runtimes' own DNS error texts differ, prtip's line must not.
  const args = ["-sT", "-Pn", "-p", "1", "--no-progress", "nosuch.invalid"];
  const [bun, deno] = await Promise.all([runBinaryAsync(args, { offline: true }), runDenoAsync(args, { offline: true })]);
  expect(bun.stderr).toBe('prtip: no targets to scan: "nosuch.invalid" did not resolve (DNS lookup failed (EAI_AGAIN))\n');
  expect(normalise(deno.stderr)).toBe(normalise(bun.stderr));
  expect([bun.code, deno.code]).toEqual([2, 2]);
});

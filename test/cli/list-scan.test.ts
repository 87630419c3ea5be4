import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/cli/index.ts";
import { fakeRuntime } from "../analyze/helpers.ts";

/** Nothing on this runtime can dial: -sL must not try. */
const capture = () => fakeRuntime();

const dir = mkdtempSync(join(tmpdir(), "prtip-list-scan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** A target file in the test's folder holding `lines`. */
function listFile(name: string, ...lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(""));
  return path;
}
const listed = (out: string) => out.trimEnd().split("\n").slice(1, -1);

describe("prtip -sL", () => {
  test("lists each target in nmap's order with excludes applied, and ends with 0 hosts up", async () => {
    const c = capture();
    expect(await run(["-sL", "-n", "127.0.0.3", "127.0.0.1-3", "--exclude", "127.0.0.2"], c)).toBe(0);
    const lines = c.out().trimEnd().split("\n");
    expect(lines[0]).toStartWith("Starting prtip ");
    expect(lines.slice(1, -1)).toEqual(["prtip scan report for 127.0.0.3", "prtip scan report for 127.0.0.1", "prtip scan report for 127.0.0.3"]);
    expect(lines.at(-1)).toMatch(/^prtip done: 3 IP addresses \(0 hosts up\) scanned in \d+\.\d\d seconds$/);
    expect(c.err()).toBe("");
  });

  test("-oX - writes nmap's list-scan XML: hosts in state unknown, no scaninfo", async () => {
    const c = capture();
    expect(await run(["-sL", "-n", "127.0.0.1-2", "-oX", "-"], c)).toBe(0);
    const xml = c.out();
    expect(xml).toStartWith('<?xml version="1.0" encoding="UTF-8"?>');
    expect(xml).not.toContain("<scaninfo");
    expect(xml.match(/<host><status state="unknown" reason="user-set" reason_ttl="0"\/>/g)).toHaveLength(2);
    expect(xml).toContain('<address addr="127.0.0.2" addrtype="ipv4"/>');
    expect(xml).toContain('<hosts up="0" down="2" total="2"/>');
    expect(xml).toEndWith("</nmaprun>\n");
    expect(xml).not.toContain("prtip scan report");
  });

  test("-oG - writes a Status: Unknown line per target", async () => {
    const c = capture();
    expect(await run(["-sL", "127.0.0.1-2", "-oG", "-"], c)).toBe(0);
    const lines = c.out().trimEnd().split("\n");
    expect(lines.slice(1, -1)).toEqual(["Host: 127.0.0.1 ()\tStatus: Unknown", "Host: 127.0.0.2 ()\tStatus: Unknown"]);
    expect(lines.at(-1)).toMatch(/^# prtip done at .* -- 2 IP addresses \(0 hosts up\) scanned in/);
  });

  for (const [flag, extra] of [["-sT", []], ["-sU", []], ["-p", ["80"]], ["-F", []], ["-O", []], ["-oJ", ["-"]]] as const) {
    test(`-sL with ${flag} is refused with one line and exit 2`, async () => {
      const c = capture();
      expect(await run([flag, ...extra, "-sL", "127.0.0.1"], c)).toBe(2);
      expect(c.err()).toStartWith(`prtip: -sL cannot be used with ${flag}:`);
      expect(c.err().trimEnd().split("\n")).toHaveLength(1);
      expect(c.out()).toBe("");
    });
  }

  test("--excludefile given twice leaves out the targets of both files (nmap 7.93 keeps only the last)", async () => {
    const c = capture();
    const a = listFile("skip-a.txt", "127.0.0.2");
    const b = listFile("skip-b.txt", "# the second file", "127.0.0.3");
    expect(await run(["-sL", "-n", "127.0.0.1-4", "--excludefile", a, "--excludefile", b], c)).toBe(0);
    expect(listed(c.out())).toEqual(["prtip scan report for 127.0.0.1", "prtip scan report for 127.0.0.4"]);
    expect(c.err()).toBe("");
  });

  test("-iL with targets on the command line lists both, with one warning line naming what nmap 7.93 would ignore", async () => {
    const c = capture();
    const list = listFile("hosts.txt", "127.0.0.3");
    expect(await run(["-sL", "-n", "-iL", list, "127.0.0.2"], c)).toBe(0);
    expect(listed(c.out())).toEqual(["prtip scan report for 127.0.0.2", "prtip scan report for 127.0.0.3"]);
    expect(c.err()).toBe(
      `prtip: warning: -iL ${list} with targets on the command line: prtip scans both; nmap 7.93 scans only the list and ignores 127.0.0.2\n`,
    );
  });

  test("-iL alone, or targets alone, warn about nothing", async () => {
    const list = listFile("only.txt", "127.0.0.3");
    for (const argv of [["-sL", "-n", "-iL", list], ["-sL", "-n", "127.0.0.2"]]) {
      const c = capture();
      expect(await run(argv, c)).toBe(0);
      expect(c.err()).toBe("");
    }
  });
});

// Bad input a user types: one line naming the value, exit 2, nothing created or emptied.
import { describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/index.ts";
import { fakeRuntime, sampleLog, tempDir, text } from "../analyze/helpers.ts";
import { normaliseArgs } from "../../src/cli/nmap-args.ts";
import { parseScanFlags } from "../../src/cli/scan-flags.ts";
import { scanOptions } from "../../src/cli/scan-options.ts";
import { usageErrorOf } from "../usage-error.ts";

const options = (...argv: string[]) => {
  const n = normaliseArgs(argv);
  return scanOptions(parseScanFlags(n.argv, n.verbosity), async () => "");
};

describe("--exclude", () => {
  test("--exclude with an empty item is refused naming the list", () => {
    for (const list of [",", "127.0.0.2,,127.0.0.3", "127.0.0.2,", ",127.0.0.2"]) {
      expect(usageErrorOf(() => parseScanFlags(["--exclude", list, "127.0.0.1"], 0))).toBe(`invalid --exclude list ${JSON.stringify(list)}: empty item`);
    }
  });

  test("--exclude with an octet list (127.0.0.2,3) is still one target", () => {
    expect(parseScanFlags(["--exclude", "127.0.0.2,3", "127.0.0.1"], 0).exclude).toEqual(["127.0.0.2,3"]);
  });
});

describe("-oA", () => {
  test("-oA out/ is refused naming out/: it would write the hidden out/.nmap, out/.gnmap, out/.xml", async () => {
    await expect(options("-oA", "out/", "127.0.0.1")).rejects.toThrow('invalid -oA base "out/": it ends in /: -oA takes the files\' name without extension, e.g. out/scan');
  });

  test("-oA - is refused: three files cannot all be stdout", async () => {
    await expect(options("-oA", "-", "127.0.0.1")).rejects.toThrow('invalid -oA base "-": -oA writes three files');
  });

  test("-oA out/scan is a base", async () => {
    expect((await options("-oA", "out/scan", "127.0.0.1")).outputs.normal).toEqual(["out/scan.nmap"]);
  });
});

describe("prtip log on a folder", () => {
  test("a folder that holds no logs is refused naming it (it printed nothing and exited 0)", async () => {
    const t = tempDir();
    try {
      const empty = join(t.dir, "empty");
      mkdirSync(empty);
      t.file("notes.txt", "not a log\n");
      for (const folder of [empty, t.dir]) {
        for (const sub of ["filter", "summary", "tail"]) {
          const rt = fakeRuntime();
          expect(await run(["log", sub, folder], rt)).toBe(2);
          expect(rt.err()).toBe(`prtip: invalid log folder ${JSON.stringify(folder)}: holds no logs (*.jsonl, *.ndjson, *.log, *.json, or those .gz)\n`);
        }
      }
    } finally {
      t.cleanup();
    }
  });

  test("a folder with a log in a subfolder is read", async () => {
    const t = tempDir();
    try {
      mkdirSync(join(t.dir, "2026"));
      t.file("2026/scan.jsonl", text(sampleLog()));
      const rt = fakeRuntime();
      expect(await run(["log", "filter", "--event", "PortFound", t.dir], rt)).toBe(0);
      expect(rt.out()).toContain('"event":"PortFound"');
    } finally {
      t.cleanup();
    }
  });
});

describe("a switch given twice", () => {
  const scanFlags = (...argv: string[]) => {
    const n = normaliseArgs(argv);
    return parseScanFlags(n.argv, n.verbosity);
  };

  test("-sT -sT is still a connect scan (it was no -sT: a SYN scan as root)", () => {
    expect(scanFlags("-sT", "-sT", "127.0.0.1").technique).toBe("connect");
  });

  test("-sU -sU is still a UDP scan, and --debug --debug still debug", () => {
    expect(scanFlags("-sU", "-sU", "127.0.0.1").technique).toBe("udp");
    expect(scanFlags("--debug", "--debug", "127.0.0.1").debug).toBe(true);
  });

  test("-sS -sT -sT is refused as two TCP techniques", () => {
    expect(usageErrorOf(() => scanFlags("-sS", "-sT", "-sT", "127.0.0.1"))).toBe("choose one TCP scan technique, not -sS and -sT");
  });

  test("prtip log summary --json --json still prints JSON", async () => {
    const rt = fakeRuntime(new TextEncoder().encode(text(sampleLog())));
    expect(await run(["log", "summary", "--json", "--json", "-"], rt)).toBe(0);
    expect(() => JSON.parse(rt.out())).not.toThrow();
  });
});

describe("-iL", () => {
  test("-iL naming an empty list (and no other target) is refused naming the list", async () => {
    const n = normaliseArgs(["-iL", "empty.txt"]);
    const flags = parseScanFlags(n.argv, n.verbosity);
    for (const text of ["", "\n  # nothing here\n"]) {
      await expect(scanOptions(flags, async () => text)).rejects.toThrow('invalid target list (-iL) "empty.txt": it holds no targets (blank lines and # comments only)');
    }
  });
});

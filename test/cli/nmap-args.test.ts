import { describe, expect, test } from "bun:test";
import { normaliseArgs } from "../../src/cli/nmap-args.ts";
import { parseScanFlags } from "../../src/cli/scan-flags.ts";

const flags = (...argv: string[]) => {
  const n = normaliseArgs(argv);
  return parseScanFlags(n.argv, n.verbosity);
};

describe("nmap-style arguments", () => {
  test("-sT -Pn -n -p- -T4 -oX reach their typed options", () => {
    const f = flags("-sT", "-Pn", "-n", "-p-", "-T4", "-oX", "out.xml", "127.0.0.1");
    expect(f.technique).toBe("connect");
    expect(f.ping).toBe(false);
    expect(f.resolve).toBe(false);
    expect(f.ports).toBe("1-65535");
    expect(f.timing).toBe(4);
    expect(f.outputXml).toBe("out.xml");
    expect(f.targets).toEqual(["127.0.0.1"]);
  });

  test("glued values and -vv count like nmap", () => {
    const f = flags("-p22,80", "-vv", "-v", "-oNscan.txt", "198.18.0.1");
    expect(f.ports).toBe("22,80");
    expect(f.verbosity).toBe(3);
    expect(f.outputNormal).toBe("scan.txt");
  });

  test("-T 4 is -T4, as in nmap", () => {
    const f = flags("-T", "4", "127.0.0.1");
    expect(f.timing).toBe(4);
    expect(f.targets).toEqual(["127.0.0.1"]);
  });

  test("-T takes nmap's template names in any case: -Tinsane, -T aggressive, -TParanoid", () => {
    expect(flags("-Tinsane", "127.0.0.1").timing).toBe(5);
    expect(flags("-T", "aggressive", "127.0.0.1").timing).toBe(4);
    expect(flags("-TParanoid", "127.0.0.1").timing).toBe(0);
    expect(flags("--timing", "polite", "127.0.0.1").timing).toBe(2);
    expect(flags("-Tsneaky", "127.0.0.1").timing).toBe(1);
    expect(flags("-TNORMAL", "127.0.0.1").timing).toBe(3);
  });

  test("a bad -T value is refused naming it and the accepted names", () => {
    expect(() => flags("-Tfast", "127.0.0.1")).toThrow(
      'invalid value for --timing (-T) "fast": expected 0-5 or one of paranoid, sneaky, polite, normal, aggressive, insane',
    );
    expect(() => flags("-T6", "127.0.0.1")).toThrow('"6"');
  });

  test("values stay as typed: a leading zero or a repeat is not mangled", () => {
    expect(flags("-p", "080", "x").ports).toBe("080");
    expect(flags("-p", "0x50", "x").ports).toBe("0x50");
    expect(flags("--seed", "7", "x").seed).toBe(7);
    expect(() => flags("--seed", "7", "--seed", "8", "x")).toThrow("option --seed was given more than once");
  });

  test("--exclude given twice excludes both (nmap keeps only the last, which would scan the first)", () => {
    expect(flags("--exclude", "127.0.0.2", "--exclude", "127.0.0.3,127.0.0.4", "127.0.0.1").exclude).toEqual([
      "127.0.0.2",
      "127.0.0.3",
      "127.0.0.4",
    ]);
    expect(flags("--exclude=127.0.0.1,2", "--exclude", "::1", "x").exclude).toEqual(["127.0.0.1,2", "::1"]);
  });

  test("flags not given stay undefined so the config file can fill them", () => {
    const f = flags("127.0.0.1");
    expect(f.timing).toBeUndefined();
    expect(f.eventLog).toBeUndefined();
    expect(f.progress).toBeUndefined();
  });

  test("a switch given as --x=false is off, --x=true on", () => {
    expect(flags("--os-detect=false", "x").osDetect).toBe(false);
    expect(flags("--service-version=false", "x").serviceVersion).toBe(false);
    expect(flags("--open=true", "x").open).toBe(true);
    expect(flags("-O", "x").osDetect).toBe(true);
  });

  test("-sS -sU and -sT -sU are one scan of both protocols, as in nmap; -sU alone is UDP only", () => {
    expect(flags("-sS", "-sU", "x")).toMatchObject({ technique: "syn", withUdp: true });
    expect(flags("-sU", "--connect", "x")).toMatchObject({ technique: "connect", withUdp: true });
    expect(flags("-sU", "x").technique).toBe("udp");
    expect(flags("-sU", "x").withUdp).toBeUndefined();
  });

  test("--event-log-max-size takes units", () => {
    expect(flags("--event-log-max-size", "50MB", "x").eventLogMaxSize).toBe(50 * 1024 * 1024);
    expect(flags("--event-log-max-size", "4096", "x").eventLogMaxSize).toBe(4096);
  });

  const bad: [string[], string][] = [
    [["-T9", "x"], 'invalid value for --timing (-T) "9": expected 0-5 or one of paranoid, sneaky, polite, normal, aggressive, insane'],
    [["-Z", "x"], 'unknown option "-Z": see prtip --help'],
    [["--bogus", "x"], 'unknown option "--bogus": see prtip --help'],
    [["-sS", "-sT", "x"], "choose one TCP scan technique, not -sS and -sT"],
    [["-sS", "-sT", "-sU", "x"], "choose one TCP scan technique, not -sS and -sT"],
    [["--shard", "3/2", "x"], 'invalid shard "3/2": expected I/N with 1 <= I <= N'],
    [["--progress-style", "fancy", "x"], 'invalid value for --progress-style "fancy": expected one of compact, detailed, bars'],
    [["-oX"], "option -oX needs a value"],
    [["-p", "", "127.0.0.1"], "option -p needs a value"],
    [["--timing", "", "127.0.0.1"], "option --timing needs a value"],
    [["--seed=", "127.0.0.1"], "option --seed needs a value"],
    [["--exclude", "127.0.0.2", "--exclude"], "option --exclude needs a value"],
    [["--seed", "2", "127.0.0.1", "--seed"], "option --seed needs a value"],
    [["--max-rate", "1e3", "x"], 'invalid value for --max-rate "1e3"'],
    [["--max-rate", "-5", "x"], 'invalid value for --max-rate "-5": expected a whole number from 1 to 100000000'],
    [["--min-rate", "-5", "x"], 'invalid value for --min-rate "-5"'],
    [["--max-retries", "-1", "x"], 'invalid value for --max-retries "-1": expected a whole number from 0 to 50'],
    [["--seed", "-1", "x"], 'invalid value for --seed "-1"'],
    [["-p", "22", "-5", "x"], 'unknown option "-5": see prtip --help'],
    [["-p", "22", "-p", "80", "x"], "option -p was given more than once"],
    [["-p22", "-p-", "x"], "option -p was given more than once"],
    [["-oN", "a", "-oNb", "x"], "option -oN was given more than once"],
    [["-T4", "-T", "5", "x"], "option -T was given more than once"],
    [["--event-log-max-size", "99999999999999999999G", "x"], 'invalid size for --event-log-max-size "99999999999999999999G": at most 8388607G'],
  ];
  for (const [argv, message] of bad) {
    test(`${argv.join(" ")} is refused naming the value`, () => {
      expect(() => flags(...argv)).toThrow(message);
    });
  }
});

test("targets after -- are targets, even one that starts with a dash", () => {
  expect(flags("-p", "22", "--", "127.0.0.1").targets).toEqual(["127.0.0.1"]);
  expect(flags("-p", "22", "127.0.0.1", "--", "-odd").targets).toEqual(["127.0.0.1", "-odd"]);
});

test("a long option's value may be - (stdout or stdin)", () => {
  expect(flags("--event-log", "-", "127.0.0.1").eventLog).toBe("-");
  expect(flags("-iL", "-").inputList).toBe("-");
});

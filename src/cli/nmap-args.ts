import { UsageError } from "../errors.ts";

// nmap spells many options as one dash and several letters (-sS, -Pn, -oX, -iL,
// -T4, -p-), which a POSIX parser reads as bundles of one-letter flags. This
// rewrites them to long options before cac sees the argv.

const SINGLE: Record<string, string[]> = {
  "-sS": ["--syn"],
  "-sT": ["--connect"],
  "-sU": ["--udp"],
  "-sV": ["--service-version"],
  "-sn": ["--ping-only"],
  "-Pn": ["--no-ping"],
  "-n": ["--no-resolve"],
  "-F": ["--fast"],
  "-O": ["--os-detect"],
  "-6": ["--ipv6"],
  "-4": ["--ipv4"],
  "-sL": ["--list-scan"],
  "-r": ["--ports-in-order"],
  "-q": ["--quiet"],
  "-h": ["--help"],
  "-V": ["--version"],
  "-p-": ["--ports", "1-65535"],
};

/** Options that take the next argument as their value. */
const WITH_VALUE: Record<string, string> = {
  "-p": "--ports",
  // nmap reads -T 4 as -T4
  "-T": "--timing",
  "-iL": "--input-list",
  "-oN": "--output-normal",
  "-oG": "--output-grepable",
  "-oX": "--output-xml",
  "-oJ": "--output-json",
  "-oA": "--output-all",
};

export interface Normalised {
  argv: string[];
  /** -v counts, -vv counts twice, as in nmap. */
  verbosity: number;
}

export function normaliseArgs(argv: readonly string[]): Normalised {
  const out: string[] = [];
  let verbosity = 0;
  // Options that take one value, by the spelling the user typed: the parser would name its
  // own long form ("option --ports was given more than once" for -p 22 -p 80).
  const once = new Set<string>();
  const typedOnce = (spelling: string) => {
    if (once.has(spelling)) throw new UsageError(`option ${spelling} was given more than once`);
    once.add(spelling);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith("-") || arg.startsWith("--") || arg === "-") {
      if (arg === "--verbose") verbosity++;
      else if (arg.startsWith("--") && !arg.includes("=") && argv[i + 1] === "-") {
        // The parser would take a lone "-" for a flag, not for the value "stdout".
        out.push(`${arg}=-`);
        i++;
      } else out.push(arg);
      continue;
    }
    const single = SINGLE[arg];
    if (arg === "-p-") typedOnce("-p");
    if (single) {
      out.push(...single);
      continue;
    }
    if (/^-v+$/.test(arg)) {
      verbosity += arg.length - 1;
      continue;
    }
    const timing = /^-T(.+)$/.exec(arg);
    if (timing) {
      typedOnce("-T");
      out.push(`--timing=${timing[1]!}`);
      continue;
    }
    const long = WITH_VALUE[arg];
    if (long) {
      const value = argv[i + 1];
      // An empty value would let the parser take the next word for it: -p "" 127.0.0.1
      if (value === undefined || value === "") throw new UsageError(`option ${arg} needs a value`);
      typedOnce(arg);
      // --opt=value: a value such as "-" (stdout) must not read as an option
      out.push(`${long}=${value}`);
      i++;
      continue;
    }
    // nmap also accepts the value glued on: -p22,80 and -oNscan.txt
    const glued = /^(-p|-iL|-oN|-oG|-oX|-oJ|-oA)(.+)$/.exec(arg);
    if (glued) {
      typedOnce(glued[1]!);
      out.push(`${WITH_VALUE[glued[1]!]!}=${glued[2]!}`);
      continue;
    }
    // A negative number after a long option is that option's (bad) value, to be named as
    // such: `--max-rate -5` said "unknown option -5", leaving the user to guess whose.
    const previous = argv[i - 1];
    if (/^-\d/.test(arg) && previous?.startsWith("--") && !previous.includes("=") && out.at(-1) === previous) {
      out[out.length - 1] = `${previous}=${arg}`;
      continue;
    }
    throw new UsageError(`unknown option ${JSON.stringify(arg)}: see prtip --help`);
  }
  return { argv: out, verbosity };
}

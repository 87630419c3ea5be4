import { invalid } from "../errors.ts";
import { topPorts } from "./port-rank.ts";

/** -F scans this many of the top ports. */
export const FAST_PORTS = 100;
/** With no port option, this many of the top ports (nmap's habit). */
export const DEFAULT_TOP_PORTS = 1000;

const RANGE = /^(\d*)-(\d*)$/;
const SINGLE = /^\d+$/;

function bound(text: string, item: string, what = "port range"): number {
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n < 1 || n > 65535) throw invalid(what, item, "ports are 1-65535");
  return n;
}

/**
 * `22,80,1-1000`, open-ended `-100` and `60000-`, and `T:` prefixes. Returns sorted,
 * de-duplicated ports; bad items name themselves (`"70000-80"`, `"90-10"`).
 */
export function parsePorts(spec: string): number[] {
  const seen = new Uint8Array(65536);
  let any = false;
  for (const raw of spec.split(",")) {
    const item = raw.trim().replace(/^T:/i, "");
    if (item === "") throw invalid("port list", spec, "empty item");
    let lo: number;
    let hi: number;
    const r = RANGE.exec(item);
    if (r) {
      lo = r[1] === "" ? 1 : bound(r[1]!, item);
      hi = r[2] === "" ? 65535 : bound(r[2]!, item);
      if (hi < lo) throw invalid("port range", item, "the end comes before the start");
    } else if (SINGLE.test(item)) {
      lo = hi = bound(item, item, "port");
    } else {
      throw invalid("port", item, "expected a number, a range like 1-1000, or a list like 22,80");
    }
    for (let p = lo; p <= hi; p++) seen[p] = 1;
    any = true;
  }
  if (!any) throw invalid("port list", spec, "no ports");
  const out: number[] = [];
  for (let p = 1; p <= 65535; p++) if (seen[p]) out.push(p);
  return out;
}

export interface PortChoice {
  ports?: string;
  topPorts?: number;
  fast?: boolean;
}

/** The ports a scan probes, from -p / --top-ports / -F (one of them), default the top 1000. */
export function choosePorts(c: PortChoice): number[] {
  const given = [c.ports !== undefined, c.topPorts !== undefined, c.fast === true].filter(Boolean).length;
  if (given > 1) throw invalid("port options", "-p/--top-ports/-F", "choose one of them");
  if (c.ports !== undefined) return parsePorts(c.ports);
  const ranked = topPorts(c.topPorts ?? (c.fast ? FAST_PORTS : DEFAULT_TOP_PORTS));
  return ranked.sort((a, b) => a - b);
}

import { CliError } from "../errors.ts";
import type { Runtime } from "../runtime/index.ts";
import type { ScanFlags } from "./scan-flags.ts";

export async function runScan(_flags: ScanFlags, _rt: Runtime): Promise<number> {
  throw new CliError("scanning is not implemented yet", 1);
}

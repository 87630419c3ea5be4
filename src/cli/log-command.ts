import { CliError } from "../errors.ts";
import type { Runtime } from "../runtime/index.ts";

export async function runLog(_argv: string[], _rt: Runtime): Promise<number> {
  throw new CliError("prtip log is not implemented yet", 1);
}

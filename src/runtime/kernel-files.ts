// Reading /proc and /sys: node:fs on Bun; libc under Deno, whose permission
// model refuses these paths to anything short of --allow-all.
import { readFileSync } from "node:fs";
import { isDeno } from "./index.ts";
import { readKernelFile } from "./libc.ts";

export const kernelFileReader = (): ((path: string) => string) =>
  isDeno() ? readKernelFile : (path) => readFileSync(path, "utf8");

#!/usr/bin/env bun
import { run } from "./cli/index.ts";
import { currentRuntime } from "./runtime/index.ts";

const rt = await currentRuntime();
rt.exit(await run(rt.args(), rt));

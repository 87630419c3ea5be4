import { lookup } from "node:dns/promises";
import type { Resolver } from "../scan/index.ts";

// getaddrinfo's "this name has no address (of this family)": an answer, not a failure.
const NO_ADDRESS = new Set(["ENOTFOUND", "ENODATA", "EAI_NONAME", "EAI_NODATA"]);

/**
 * node:dns behind the scan's Resolver. A name without addresses is an empty
 * list, so the target stage can say which family it has; other failures keep
 * only their code, because Bun's and Deno's messages differ ("getaddrinfo
 * ENOTFOUND" against "getaddrinfo ENOTFOUND NAME") and the outputs must not.
 */
export const dnsResolver: Resolver = async (name, family) => {
  try {
    return (await lookup(name, { family, all: true })).map((a) => a.address);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && NO_ADDRESS.has(code)) return [];
    throw new Error(`DNS lookup failed (${code ?? "unknown error"})`);
  }
};

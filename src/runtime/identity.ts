// The process identity calls privileges.ts needs, from node:process (Bun and Deno both provide it).
import process from "node:process";
import type { ProcessIdentity } from "../scan/syn/privileges.ts";

export const processIdentity: ProcessIdentity = {
  euid: () => (typeof process.geteuid === "function" ? process.geteuid() : -1),
  setgroups: (groups) => process.setgroups?.(groups),
  setgid: (gid) => process.setgid?.(gid),
  setuid: (uid) => process.setuid?.(uid),
};

// The process identity calls privileges.ts needs: node:process on Bun, libc
// under Deno (see libc.ts for why). Never a silent no-op: a drop that cannot
// happen throws.
import process from "node:process";
import type { ProcessIdentity } from "../scan/syn/privileges.ts";
import { isDeno } from "./index.ts";
import { libcIdentity } from "./libc.ts";

const unavailable = (name: string): never => {
  throw new Error(`${name} is not available on this runtime`);
};

const nodeIdentity: Omit<ProcessIdentity, "euid"> = {
  setgroups: (groups) => (process.setgroups ? process.setgroups(groups) : unavailable("setgroups")),
  setgid: (gid) => (process.setgid ? process.setgid(gid) : unavailable("setgid")),
  setuid: (uid) => (process.setuid ? process.setuid(uid) : unavailable("setuid")),
};

export const processIdentity: ProcessIdentity = {
  euid: () => (typeof process.geteuid === "function" ? process.geteuid() : -1),
  setgroups: (groups) => (isDeno() ? libcIdentity : nodeIdentity).setgroups(groups),
  setgid: (gid) => (isDeno() ? libcIdentity : nodeIdentity).setgid(gid),
  setuid: (uid) => (isDeno() ? libcIdentity : nodeIdentity).setuid(uid),
};

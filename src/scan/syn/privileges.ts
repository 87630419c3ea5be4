// Raw-socket privileges: may we capture and inject, and giving up root once
// the pcap handles are open. The process calls come in as a capability so the
// core stays runtime-free; src/runtime/identity.ts provides the real one.

/** CAP_NET_ADMIN and CAP_NET_RAW bit numbers (linux/capability.h). */
const CAP_NET_ADMIN = 12;
const CAP_NET_RAW = 13;

export interface RawPrivileges {
  root: boolean;
  netRaw: boolean;
  netAdmin: boolean;
  /** Enough to open pcap handles and inject. */
  canCapture: boolean;
}

/** From the effective uid and the text of /proc/self/status (CapEff line). */
export function rawPrivileges(euid: number, procStatus: string): RawPrivileges {
  const hex = /^CapEff:\s*([0-9a-fA-F]+)/m.exec(procStatus)?.[1];
  const caps = hex ? BigInt(`0x${hex}`) : euid === 0 ? -1n : 0n;
  const has = (bit: number) => caps === -1n || ((caps >> BigInt(bit)) & 1n) === 1n;
  const netRaw = has(CAP_NET_RAW);
  return { root: euid === 0, netRaw, netAdmin: has(CAP_NET_ADMIN), canCapture: netRaw };
}

export interface ProcessIdentity {
  euid(): number;
  setgroups(groups: number[]): void;
  setgid(gid: number): void;
  setuid(uid: number): void;
}

export type DropOutcome = { dropped: true; user: string; uid: number; gid: number } | { dropped: false; reason: string };

/** uid and gid of `user` in /etc/passwd text, or null. */
export function lookupUser(passwd: string, user: string): { uid: number; gid: number } | null {
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f[0] === user && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return null;
}

/**
 * Becomes `user` (groups, then gid, then uid: the order that cannot leave a
 * root gid behind) and proves it by failing to become root again.
 */
export function dropPrivileges(id: ProcessIdentity, passwd: string, user = "nobody"): DropOutcome {
  if (id.euid() !== 0) return { dropped: false, reason: "not running as root" };
  const entry = lookupUser(passwd, user) ?? (user === "nobody" ? { uid: 65534, gid: 65534 } : null);
  if (!entry) return { dropped: false, reason: `no user "${user}" in the password file` };
  id.setgroups([entry.gid]);
  id.setgid(entry.gid);
  id.setuid(entry.uid);
  if (id.euid() !== entry.uid) throw new Error(`dropping privileges to ${user} failed: euid is ${id.euid()}`);
  let regained = true;
  try {
    id.setuid(0);
  } catch {
    regained = false;
  }
  if (regained) throw new Error(`dropping privileges to ${user} failed: root could be regained`);
  return { dropped: true, user, ...entry };
}

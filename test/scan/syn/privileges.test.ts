import { describe, expect, test } from "bun:test";
import { dropPrivileges, rawPrivileges, type ProcessIdentity } from "../../../src/scan/syn/index.ts";

const PASSWD = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nscan:x:1001:1002::/home/scan:/bin/sh\n";

function fakeIdentity(euid: number, opts: { ignoreSetuid?: boolean } = {}) {
  const calls: string[] = [];
  let uid = euid;
  const id: ProcessIdentity = {
    euid: () => uid,
    setgroups: (g) => void calls.push(`setgroups ${g.join(",")}`),
    setgid: (g) => void calls.push(`setgid ${g}`),
    setuid: (u) => {
      calls.push(`setuid ${u}`);
      if (uid !== 0 && u !== uid) throw new Error("EPERM");
      if (!opts.ignoreSetuid) uid = u;
    },
  };
  return { id, calls };
}

describe("raw privileges", () => {
  test("CAP_NET_RAW in CapEff allows capture without root", () => {
    expect(rawPrivileges(1000, "Name:\tprtip\nCapEff:\t0000000000003000\n")).toEqual({ root: false, netRaw: true, netAdmin: true, canCapture: true });
  });

  test("a normal user without capabilities cannot capture", () => {
    expect(rawPrivileges(1000, "CapEff:\t0000000000000000\n").canCapture).toBe(false);
  });

  test("root whose capabilities were taken away cannot capture", () => {
    expect(rawPrivileges(0, "CapEff:\t0000000000000400\n")).toEqual({ root: true, netRaw: false, netAdmin: false, canCapture: false });
  });
});

describe("dropping root", () => {
  test("root becomes nobody: groups, then gid, then uid, and cannot come back", () => {
    const { id, calls } = fakeIdentity(0);
    expect(dropPrivileges(id, PASSWD)).toEqual({ dropped: true, user: "nobody", uid: 65534, gid: 65534 });
    expect(calls).toEqual(["setgroups 65534", "setgid 65534", "setuid 65534", "setuid 0"]);
  });

  test("a named user from the password file is honoured", () => {
    expect(dropPrivileges(fakeIdentity(0).id, PASSWD, "scan")).toEqual({ dropped: true, user: "scan", uid: 1001, gid: 1002 });
  });

  test("a non-root process has nothing to drop", () => {
    const { id, calls } = fakeIdentity(1000);
    expect(dropPrivileges(id, PASSWD)).toEqual({ dropped: false, reason: "not running as root" });
    expect(calls).toEqual([]);
  });

  test("a setuid that silently fails is an error, not a false success", () => {
    expect(() => dropPrivileges(fakeIdentity(0, { ignoreSetuid: true }).id, PASSWD)).toThrow("euid is 0");
  });
});

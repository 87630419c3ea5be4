import { describe, expect, test } from "bun:test";
import { type ServiceNames, parseServicesFile, portNamer } from "../../src/scan/index.ts";

const FALLBACK = parseServicesFile("other-web 8080/tcp 0.04\nfallback-mail 2525/tcp 0.0004\nfallback-queue 15672/tcp 0.0001\nfallback-dgram 10007/udp 0.0006\n");

/** A loader that counts its calls. */
function counting(names: ServiceNames | null) {
  const calls = { n: 0 };
  return { calls, load: () => (calls.n++, names) };
}

describe("portNamer", () => {
  test("prtip's own name wins over the fallback's", () => {
    expect(portNamer(() => FALLBACK)(8080, "Tcp")).toBe("http-alt");
  });

  test("a port prtip has no name for takes the fallback's name, per protocol", () => {
    const name = portNamer(() => FALLBACK);
    expect(name(2525, "Tcp")).toBe("fallback-mail");
    expect(name(10007, "Udp")).toBe("fallback-dgram");
    expect(name(10007, "Tcp")).toBe("unknown");
  });

  test("prtip's own \"unknown\" entries are no name: the fallback's applies", () => {
    expect(portNamer(() => FALLBACK)(15672, "Tcp")).toBe("fallback-queue");
  });

  test("the fallback is not loaded while every port has an own name", () => {
    const { calls, load } = counting(FALLBACK);
    const name = portNamer(load);
    for (const port of [22, 80, 443, 8080]) name(port, "Tcp");
    expect(calls.n).toBe(0);
  });

  test("the fallback is loaded once, however many ports need it", () => {
    const { calls, load } = counting(FALLBACK);
    const name = portNamer(load);
    for (const port of [2525, 2526, 2527, 15672]) name(port, "Tcp");
    expect(calls.n).toBe(1);
  });

  test("no fallback (null) or a loader that throws leaves those ports unknown, once", () => {
    expect(portNamer(() => null)(2525, "Tcp")).toBe("unknown");
    let calls = 0;
    const name = portNamer(() => {
      calls++;
      throw new Error("EACCES");
    });
    expect(name(2525, "Tcp")).toBe("unknown");
    expect(name(2526, "Tcp")).toBe("unknown");
    expect(calls).toBe(1);
  });
});

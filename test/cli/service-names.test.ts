import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { SERVICES_ENV, checkServicesFile, scanPortNamer } from "../../src/cli/service-names.ts";
import { usageErrorOf } from "../usage-error.ts";

const SAMPLE = join(import.meta.dir, "../fixtures/nmap-services-sample");
const env = (value: string | undefined) => ({ env: (name: string) => (name === SERVICES_ENV ? value : undefined) });

describe("the scan's port names", () => {
  test(`${SERVICES_ENV} points at the services file that names ports prtip's table does not`, () => {
    const name = scanPortNamer(env(SAMPLE));
    expect(name(2525, "Tcp")).toBe("fixture-mail");
    expect(name(8080, "Tcp")).toBe("http-alt");
  });

  test("a missing services file means unknown, not an error", () => {
    expect(scanPortNamer(env(join(import.meta.dir, "no-such-services-file")))(2525, "Tcp")).toBe("unknown");
  });

  test("a directory or unreadable path means unknown too", () => {
    expect(scanPortNamer(env(import.meta.dir))(2525, "Tcp")).toBe("unknown");
  });

  test(`${SERVICES_ENV} set empty reads no file: prtip's own names only`, () => {
    expect(scanPortNamer(env(""))(2525, "Tcp")).toBe("unknown");
    expect(scanPortNamer(env(""))(22, "Tcp")).toBe("ssh");
  });

  test("a runtime that refuses the variable (Deno without --allow-env for it) is as if it were unset", () => {
    const refusing = { env: (): string | undefined => { throw new Error("NotCapable"); } };
    expect(() => scanPortNamer(refusing)(22, "Tcp")).not.toThrow();
  });
});

describe("checking PRTIP_NMAP_SERVICES before the scan", () => {
  test(`${SERVICES_ENV} naming a missing file is refused naming the variable and the path`, () => {
    const missing = join(import.meta.dir, "no-such-services-file");
    expect(usageErrorOf(() => checkServicesFile(env(missing)))).toBe(
      `invalid ${SERVICES_ENV} ${JSON.stringify(missing)}: cannot read it: No such file or directory (set it empty to read no services file)`,
    );
  });

  test(`${SERVICES_ENV} naming a folder is refused`, () => {
    expect(usageErrorOf(() => checkServicesFile(env(import.meta.dir)))).toContain("cannot read it: Is a directory");
  });

  test(`${SERVICES_ENV} unset, empty or naming a readable file passes`, () => {
    for (const value of [undefined, "", SAMPLE]) expect(() => checkServicesFile(env(value))).not.toThrow();
  });
});

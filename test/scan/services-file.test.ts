import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseServicesFile } from "../../src/scan/index.ts";

const SAMPLE = readFileSync(join(import.meta.dir, "../fixtures/nmap-services-sample"), "utf8");

describe("parseServicesFile", () => {
  test("names a port by protocol from name, port/proto and frequency lines", () => {
    const names = parseServicesFile(SAMPLE);
    expect(names.get(15672, "Tcp")).toBe("fixture-queue");
    expect(names.get(10007, "Udp")).toBe("fixture-dgram");
    expect(names.get(10007, "Tcp")).toBeUndefined();
  });

  test("a port listed twice for one protocol takes the more frequent name, in either order", () => {
    expect(parseServicesFile(SAMPLE).get(2525, "Tcp")).toBe("fixture-mail");
    expect(parseServicesFile("rare 9/tcp 0.001\ncommon 9/tcp 0.5\n").get(9, "Tcp")).toBe("common");
  });

  test("malformed lines are skipped and the lines after them still count", () => {
    const names = parseServicesFile(SAMPLE);
    expect(names.get(4001, "Tcp")).toBeUndefined(); // no frequency
    expect(names.get(4002, "Tcp")).toBeUndefined(); // not tcp or udp
    expect(names.get(0, "Tcp")).toBeUndefined();
    expect(names.get(4003, "Tcp")).toBe("fixture-crlf");
    expect(names.size).toBe(5); // 8080, 2525, 15672, 4003 TCP and 10007 UDP
  });

  test("SCTP lines name no TCP or UDP port", () => {
    const names = parseServicesFile(SAMPLE);
    expect(names.get(4004, "Tcp")).toBeUndefined();
    expect(names.get(4004, "Udp")).toBeUndefined();
  });

  test("comments, blank lines, an empty file and binary junk give no names and no error", () => {
    expect(parseServicesFile("").size).toBe(0);
    expect(parseServicesFile("# only a comment\n\n   \n").size).toBe(0);
    expect(parseServicesFile("\u0000\u00ff\ufffd 1/tcp x\n").size).toBe(0);
  });
});

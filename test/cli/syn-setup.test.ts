import { expect, test } from "bun:test";
import { loopbackOnlyWithV4 } from "../../src/cli/syn-setup.ts";
import { planTargets } from "../../src/scan/index.ts";

const only = (...targets: string[]) => loopbackOnlyWithV4(planTargets(targets, []));

test("loopback targets with some IPv4 among them are the ones a SYN scan cannot reach on lo", () => {
  expect(only("127.0.0.1")).toBe(true);
  expect(only("127.0.0.0/30", "127.0.0.9-12")).toBe(true);
  // ::1 beside 127.0.0.1 must not bring SYN back: 127.0.0.1 would be all filtered
  expect(only("127.0.0.1", "::1")).toBe(true);
  expect(only("::1")).toBe(false);
  expect(only("127.0.0.1", "198.18.0.1")).toBe(false);
  expect(only("127.0.0.1", "::/127")).toBe(false);
  expect(only("localhost")).toBe(false);
});

import { expect } from "bun:test";
import { UsageError } from "../src/errors.ts";

/** The message of the UsageError `fn` throws; fails the test when it throws nothing or something else. */
export function usageErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error("expected a UsageError");
}

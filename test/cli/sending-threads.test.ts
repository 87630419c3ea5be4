import { describe, expect, test } from "bun:test";
import { checkLibpcapOverride, sendingThreadCount, txRingWanted } from "../../src/cli/syn-setup.ts";
import { CliError } from "../../src/errors.ts";

const rt = (name: "bun" | "deno", env: Record<string, string> = {}) => ({ name, env: (k: string) => env[k] });

describe("threads sending a SYN scan's frames", () => {
  test("Bun sends from two threads where there are two cores or more, from none on one", () => {
    const cores = navigator.hardwareConcurrency;
    expect(sendingThreadCount(rt("bun"))).toBe(cores >= 2 ? 2 : 0);
  });

  test("PRTIP_SEND_THREADS picks the count, 0 keeps sends on the scan's thread", () => {
    expect(sendingThreadCount(rt("bun", { PRTIP_SEND_THREADS: "0" }))).toBe(0);
    expect(sendingThreadCount(rt("bun", { PRTIP_SEND_THREADS: "1" }))).toBe(1);
  });

  test("a PRTIP_SEND_THREADS that is not 0-8 is a usage error naming the value", () => {
    expect(() => sendingThreadCount(rt("bun", { PRTIP_SEND_THREADS: "many" }))).toThrow('PRTIP_SEND_THREADS must be a number from 0 to 8, got "many"');
    expect(() => sendingThreadCount(rt("bun", { PRTIP_SEND_THREADS: "12" }))).toThrow(/got "12"/);
  });

  test("Deno sends from the scan's thread whatever the variable says", () => {
    expect(sendingThreadCount(rt("deno", { PRTIP_SEND_THREADS: "2" }))).toBe(0);
  });
});

describe("sending from a PACKET_TX_RING", () => {
  test("is the default, PRTIP_TX_RING=0 keeps the threads on sendmmsg", () => {
    expect(txRingWanted(rt("bun"))).toBe(true);
    expect(txRingWanted(rt("bun", { PRTIP_TX_RING: "1" }))).toBe(true);
    expect(txRingWanted(rt("bun", { PRTIP_TX_RING: "0" }))).toBe(false);
  });

  test("a PRTIP_TX_RING other than 0 or 1 is a usage error naming the value", () => {
    expect(() => txRingWanted(rt("bun", { PRTIP_TX_RING: "yes" }))).toThrow('PRTIP_TX_RING must be 0 or 1, got "yes"');
  });

  test("Deno, without sending threads, does not read the variable (its --allow-env list leaves it out)", () => {
    const env = (k: string) => {
      throw new Error(`read ${k}`);
    };
    expect(txRingWanted({ name: "deno", env })).toBe(false);
  });
});

describe("PRTIP_LIBPCAP", () => {
  const env = (value: string | undefined) => ({ env: (k: string) => (k === "PRTIP_LIBPCAP" ? value : undefined) });

  test("a PRTIP_LIBPCAP that does not load as libpcap is a usage error naming it and why", async () => {
    const missing = "/nonexistent/libpcap.so";
    const error = await checkLibpcapOverride(env(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      `invalid PRTIP_LIBPCAP "${missing}": it does not load as libpcap (cannot open shared object file: No such file or directory); unset it to use the system's`,
    );
  });

  test("a library without pcap's symbols (libc) is refused too", async () => {
    await expect(checkLibpcapOverride(env("libc.so.6"))).rejects.toThrow('invalid PRTIP_LIBPCAP "libc.so.6": it does not load as libpcap (Symbol "pcap_create" not found');
  });

  test("unset or empty, nothing is checked", async () => {
    const load = () => Promise.reject(new Error("loaded"));
    await checkLibpcapOverride(env(undefined), load);
    await checkLibpcapOverride(env(""), load);
  });
});

// Runs a command and watches a device's tx_packets while it runs: the send
// rate over the window in which the count grew (first to last growth), so
// start-up and the final wait for replies do not dilute it. Run it inside the
// namespace the device lives in; prints one JSON line on stdout.
//   bun scripts/tx-rate.ts DEVICE -- COMMAND...
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const [device, dashes, ...command] = process.argv.slice(2);
if (!device || dashes !== "--" || command.length === 0) {
  process.stderr.write("usage: tx-rate.ts DEVICE -- COMMAND...\n");
  process.exit(2);
}
const counter = `/sys/class/net/${device}/statistics/tx_packets`;
const read = () => Number(readFileSync(counter, "utf8"));

const first = read();
const started = performance.now();
// (time, count) whenever the count moved; the rate is taken between the samples
// where 1% and 99% of the packets had gone, so a straggler (a late retry, an ARP)
// does not stretch the window.
const samples: [number, number][] = [[started, first]];
const sample = () => {
  const n = read();
  if (n !== samples[samples.length - 1]![1]) samples.push([performance.now(), n]);
};
// Every 5 ms: a window of ~1 s still resolves to 1%, and a sampler waking 1,000 times a second took its share of the cores it measures.
const timer = setInterval(sample, 5);
const child = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "ignore", "inherit"] });
const code = await new Promise<number | null>((resolve, reject) => {
  child.on("close", resolve);
  child.on("error", (err) => {
    clearInterval(timer);
    reject(err);
  });
});
clearInterval(timer);
sample();
const wallMs = performance.now() - started;
const packets = samples[samples.length - 1]![1] - first;
const at = (share: number) => samples.find(([, n]) => n - first >= packets * share)!;
const [t1, n1] = at(0.01);
const [t99, n99] = at(0.99);
const activeMs = t99 - t1;
const sendPps = activeMs > 0 ? ((n99 - n1) / activeMs) * 1000 : 0;
process.stdout.write(
  JSON.stringify({ code, wallMs, packets, activeMs, sendPps }) + "\n",
);

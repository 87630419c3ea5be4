// What compressing rotated logs takes from a busy scan on a small machine.
//   node_modules/.bin/bun scripts/bench-gzip-contention.ts [--files 8] [--reps 3]
// The scan is simulated by the main thread spinning in 2 ms slices (yielding to
// the event loop between them) plus one worker thread spinning all along, as the
// SYN scan's sending thread does: with two cores, both are busy. Meanwhile the
// rotated files (50 MB of PortFound lines each) are gzipped one after another,
// as the event log's housekeeping does, either on the runtime's zlib pool or on
// prtip's low-priority gzip thread. Printed: the main thread's work rate while
// compressing, against the same run without compression.
import { zlibGzip } from "../src/log/index.ts";
import { threadGzip } from "../src/runtime/bun-gzip.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FILES = arg("files", 8);
const REPS = arg("reps", 3);
const MB = 1 << 20;

/** 50 MB of PortFound lines like a scan's (targets, ports, seq and times vary). */
function logFile(): Uint8Array {
  const lines: string[] = [];
  let size = 0;
  for (let seq = 1; size < 50 * MB; seq++) {
    const l = `{"event":"PortFound","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","target":"198.18.${(seq >> 8) & 255}.${(seq * 7) & 255}","port":${1 + ((seq * 7919) % 65535)},"protocol":"Tcp","state":"${seq % 50 ? "Closed" : "Open"}","reason":"${seq % 50 ? "rst" : "syn-ack"}","seq":${seq},"timestamp":"2026-12-04T19:${String(30 + ((seq >> 20) % 30)).padStart(2, "0")}:${String((seq >> 14) % 60).padStart(2, "0")}.${String(seq % 1000).padStart(3, "0")}Z"}\n`;
    lines.push(l);
    size += l.length;
  }
  return new TextEncoder().encode(lines.join(""));
}
const template = logFile();

/** The main thread's share of the scan: spins in 2 ms slices; returns slices' work per second over `until`. */
async function spin(until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.then(() => (done = true));
  let work = 0;
  let x = 1;
  const t0 = performance.now();
  while (!done) {
    const end = performance.now() + 2;
    while (performance.now() < end) for (let i = 0; i < 1000; i++) x = (x * 1103515245 + 12345) | 0;
    work++;
    await new Promise((r) => setImmediate(r));
  }
  if (x === 42) console.log(x);
  return work / ((performance.now() - t0) / 1000);
}

async function compressAll(gzip: (b: Uint8Array) => Promise<Uint8Array>): Promise<void> {
  for (let f = 0; f < FILES; f++) await gzip(template.slice());
}

const sender = new Worker(URL.createObjectURL(new Blob(["let x = 1; for (;;) x = (x * 1103515245 + 12345) | 0;"], { type: "application/javascript" })));
const thread = threadGzip();
const rows: Record<string, number[]> = { "no compression": [], "zlib pool": [], "prtip's gzip thread (nice 19)": [] };
const seconds: Record<string, number[]> = { "zlib pool": [], "prtip's gzip thread (nice 19)": [] };
for (let r = 0; r < REPS; r++) {
  for (const [name, gzip] of [["zlib pool", zlibGzip], ["prtip's gzip thread (nice 19)", thread]] as const) {
    const t0 = performance.now();
    const work = compressAll(gzip);
    rows[name]!.push(await spin(work));
    seconds[name]!.push((performance.now() - t0) / 1000);
    rows["no compression"]!.push(await spin(new Promise((r) => setTimeout(r, 1500))));
  }
}
sender.terminate();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(rows["no compression"]!);
console.log(`gzip of ${FILES} x 50 MB log files while the main thread and one more thread spin; ${navigatorCores()} cores; medians of ${REPS}`);
console.log("| while | main thread's work/s | vs none | compression took |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, xs] of Object.entries(rows)) {
  const took = seconds[name] ? `${median(seconds[name]!).toFixed(1)} s` : "";
  console.log(`| ${name} | ${median(xs).toFixed(0)} | ${(median(xs) / base).toFixed(2)}x | ${took} |`);
}
function navigatorCores(): number {
  return navigator.hardwareConcurrency;
}
process.exit(0);

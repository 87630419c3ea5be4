// Listens on the lab's open ports (dual-stack "::", so every address of the
// target namespace answers) until killed; touches READY_FILE once all listen.
//   bun test/lab/listeners.ts 22,80,443 /path/to/ready
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";

const ports = (process.argv[2] ?? "").split(",").filter(Boolean).map(Number);
const ready = process.argv[3];
let listening = 0;
for (const port of ports) {
  const server = createServer((socket) => socket.destroy());
  server.listen({ port, host: "::", ipv6Only: false, backlog: 4096 }, () => {
    if (++listening === ports.length && ready) writeFileSync(ready, String(process.pid));
  });
}

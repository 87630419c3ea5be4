// Worker entry (Bun): the thread that hands a SYN scan's frames to the kernel
// (ffi/send-thread.ts starts it; ffi/send-ring.ts has the loop).
import { bunLoader } from "../../ffi/bun.ts";
import { sendLoop } from "../../ffi/send-ring.ts";
import type { SendThreadMessage } from "../../ffi/send-thread.ts";
import { LIBC_CANDIDATES, LIBC_SYMBOLS, type LibcFunctions } from "../../ffi/symbols.ts";

declare const self: Worker;

self.onmessage = (message: MessageEvent<SendThreadMessage>) => {
  const { sab, fd } = message.data;
  const libc = bunLoader.open<LibcFunctions>(LIBC_CANDIDATES, LIBC_SYMBOLS).fns;
  sendLoop(sab, fd, libc, bunLoader.memory);
};

// Worker entry (Bun): the thread that kicks a TX ring's frames out
// (ffi/tx-ring-batch.ts starts it; ffi/tx-kick.ts has the loop).
import { bunLoader } from "../../ffi/bun.ts";
import { LIBC_CANDIDATES, LIBC_SYMBOLS, type LibcFunctions } from "../../ffi/symbols.ts";
import { kickLoop } from "../../ffi/tx-kick.ts";
import type { TxKickMessage } from "../../ffi/tx-ring-batch.ts";

declare const self: Worker & { close(): void };

self.onmessage = (message: MessageEvent<TxKickMessage>) => {
  const { sab, ring, flags } = message.data;
  const libc = bunLoader.open<LibcFunctions>(LIBC_CANDIDATES, LIBC_SYMBOLS).fns;
  kickLoop(sab, ring, flags, libc, bunLoader.memory);
  self.close();
};

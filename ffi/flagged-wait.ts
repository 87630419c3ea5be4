// The sleeping half of the handshake between the scan's thread and a sending
// thread over a shared control block: each side raises its "waits" word before
// sleeping, and the other side wakes it only when that word is up, so neither
// pays for a futex call while the other is busy.

/**
 * Sleeps until `ctrl[word]` moves from `seen` (or `ms` pass), with `ctrl[flag]`
 * up meanwhile. A write made before the flag went up found no one to wake, so
 * the word is read once more before sleeping.
 */
export function flaggedWait(ctrl: Int32Array, word: number, flag: number, seen: number, ms: number): void {
  Atomics.store(ctrl, flag, 1);
  if (Atomics.load(ctrl, word) === seen) Atomics.wait(ctrl, word, seen, ms);
  Atomics.store(ctrl, flag, 0);
}

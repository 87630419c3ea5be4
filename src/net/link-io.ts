// What code that talks on the wire needs from a capture handle. PcapHandle
// provides it; tests pass a fake.

export interface LinkIO {
  readonly linkType: number;
  send(frame: Uint8Array): void;
  /** Non-blocking: hands up to `max` waiting frames to `sink` and returns how many. */
  receive(max: number, sink: (frame: Uint8Array, length: number) => void): number;
}

export interface Waiter {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const timerWaiter: Waiter = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

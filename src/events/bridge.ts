import type { EventBus } from "./bus.ts";
import type { AnyEvent } from "./types.ts";

/** The part of a Worker, MessagePort or `self` in a worker that the bridge needs. */
export interface Port {
  postMessage(message: unknown): void;
}
export interface ReceivingPort {
  addEventListener(type: "message", listener: (e: { data: unknown }) => void): void;
  removeEventListener(type: "message", listener: (e: { data: unknown }) => void): void;
}

interface Batch {
  prtipEvents: AnyEvent[];
}

function isBatch(data: unknown): data is Batch {
  return typeof data === "object" && data !== null && Array.isArray((data as Batch).prtipEvents);
}

/**
 * Worker side: collects events and posts them in batches, one message per
 * `batchSize` events or per job (a microtask flushes what is left), so a
 * message's cost is shared by many events.
 */
export class BatchingPublisher {
  private pending: AnyEvent[] = [];
  private flushQueued = false;

  constructor(
    private readonly port: Port,
    private readonly batchSize = 1024,
  ) {}

  publish(e: AnyEvent): void {
    this.pending.push(e);
    if (this.pending.length >= this.batchSize) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.flushQueued = false;
    if (this.pending.length === 0) return;
    const batch: Batch = { prtipEvents: this.pending };
    this.pending = [];
    this.port.postMessage(batch);
  }
}

/** Main side: every batch from `port` is published onto `bus`, in order. Returns a detach function. */
export function receiveInto(bus: EventBus, port: ReceivingPort): () => void {
  const listener = (e: { data: unknown }) => {
    if (isBatch(e.data)) bus.publishBatch(e.data.prtipEvents);
  };
  port.addEventListener("message", listener);
  return () => port.removeEventListener("message", listener);
}

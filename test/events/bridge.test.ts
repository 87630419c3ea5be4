import { expect, test } from "bun:test";
import { BatchingPublisher, EventBus, EventFactory, receiveInto } from "../../src/events/index.ts";

test("events batched through a MessageChannel arrive on the main bus in order with fresh seqs", async () => {
  const bus = new EventBus();
  const channel = new MessageChannel();
  const detach = receiveInto(bus, channel.port2);
  channel.port2.start();
  const sent: string[] = [];
  const all250 = new Promise<void>((resolve) => {
    bus.on({ types: ["PortFound"] }, (e) => (e as { port: number }).port === 250 && queueMicrotask(resolve));
  });
  const f = new EventFactory();
  const worker = new BatchingPublisher(channel.port1, 100);
  for (let p = 1; p <= 250; p++) {
    worker.publish(f.portFound({ target: "198.18.0.9", port: p, protocol: "Tcp", state: "Open", reason: "syn-ack" }));
    sent.push(`p${p}`);
  }
  worker.publish(f.portFound({ target: "198.18.0.9", port: 0, protocol: "Tcp", state: "Open", reason: "syn-ack" }));
  await all250;
  const got = bus.history({ types: ["PortFound"] });
  expect(got.map((e) => `p${(e as { port: number }).port}`)).toEqual(sent);
  expect(got.map((e) => e.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  expect(bus.stats().rejected).toBe(1);
  detach();
  channel.port1.close();
});

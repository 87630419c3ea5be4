// Public entry of the event model and bus.
export type * from "./types.ts";
export { SCHEMA, EVENT_TYPES, CATEGORIES, typeId, isEventType, isCategory, isKnownEvent, typesIn, categoryOf } from "./schema.ts";
export type { FieldKind, FieldSpec } from "./schema.ts";
export { EventFactory } from "./factory.ts";
export { CoarseClock } from "./coarse-clock.ts";
export { encodeEvent } from "./encode.ts";
export { decodeEvent } from "./decode.ts";
export { isoTime, parseIsoTime } from "./time.ts";
export { rejectReason } from "./validate.ts";
export { compileFilter, matches } from "./filter.ts";
export type { EventFilter, CompiledFilter } from "./filter.ts";
export { Ring } from "./ring.ts";
export { EventBus } from "./bus.ts";
export type { BusOptions, BusStats, SubscribeOptions, Tap, TapReader, Unsubscribe } from "./bus.ts";
export { Subscription, Lagged } from "./subscription.ts";
export type { Received } from "./subscription.ts";
export { BatchingPublisher, receiveInto } from "./bridge.ts";
export type { Port, ReceivingPort } from "./bridge.ts";

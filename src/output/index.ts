// Public entry of the result writers: every one is a bus subscriber.
import type { EventBus, Unsubscribe } from "../events/index.ts";
import { ResultCollector } from "./collector.ts";
import { GrepableWriter } from "./grepable.ts";
import { JsonWriter } from "./json.ts";
import type { OutputMeta, TextSink } from "./meta.ts";
import { NormalWriter } from "./normal.ts";
import { XmlWriter } from "./xml.ts";

export type { OutputMeta, TextSink } from "./meta.ts";
export { portRanges, ctime } from "./meta.ts";
export { ResultCollector, type HostReport, type PortEntry, type ServiceProtocols } from "./collector.ts";
export { NormalWriter, formatHost } from "./normal.ts";
export { GrepableWriter, grepableHost } from "./grepable.ts";
export { XmlWriter, xmlHost, escapeXml } from "./xml.ts";
export { JsonWriter } from "./json.ts";
export { ListWriter, type ListSinks, type ListMeta } from "./list.ts";
export { portVersion, versionText } from "./service-text.ts";
export { serviceParts, versionFields, type VersionFields } from "./version-fields.ts";

export interface OutputSinks {
  /** The normal table on the terminal. */
  screen?: TextSink;
  normal?: TextSink;
  grepable?: TextSink;
  xml?: TextSink;
  json?: TextSink;
}

/** Subscribes the chosen writers (the collector first, so writers see complete results). */
export function attachOutputs(bus: EventBus, sinks: OutputSinks, meta: OutputMeta): Unsubscribe {
  const results = new ResultCollector(meta.hostnames, meta.serviceProtocols);
  const subs: Unsubscribe[] = [results.attach(bus)];
  if (sinks.screen) subs.push(new NormalWriter(sinks.screen, meta, results, false).attach(bus));
  if (sinks.normal) subs.push(new NormalWriter(sinks.normal, meta, results, true).attach(bus));
  if (sinks.grepable) subs.push(new GrepableWriter(sinks.grepable, meta, results).attach(bus));
  if (sinks.xml) subs.push(new XmlWriter(sinks.xml, meta, results).attach(bus));
  if (sinks.json) subs.push(new JsonWriter(sinks.json, meta.verbosity > 0).attach(bus));
  const close = () => {
    for (const s of subs) s.close();
  };
  return { close, [Symbol.dispose]: close };
}

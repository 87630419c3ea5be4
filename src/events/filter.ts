import { EVENT_TYPES, UNKNOWN_TYPE_ID, typeId, typesIn } from "./schema.ts";
import type { AnyEvent, Category, EventType } from "./types.ts";

/** Every part is optional; the parts given must all match. */
export interface EventFilter {
  types?: readonly EventType[];
  categories?: readonly Category[];
  scanId?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  where?: (e: AnyEvent) => boolean;
}

export interface CompiledFilter {
  /** typeMatches[id] for ids 0..UNKNOWN_TYPE_ID; the bus indexes its dispatch tables with it. */
  readonly typeMatches: readonly boolean[];
  /** The rest of the filter, or null when the type alone decides. */
  readonly rest: ((e: AnyEvent) => boolean) | null;
}

export function compileFilter(filter: EventFilter = {}): CompiledFilter {
  const byType = filter.types !== undefined;
  const byCategory = filter.categories !== undefined;
  const allowed = new Set<EventType>();
  if (byType) for (const t of filter.types!) allowed.add(t);
  if (byCategory) for (const c of filter.categories!) for (const t of typesIn(c)) allowed.add(t);
  const typeMatches: boolean[] = EVENT_TYPES.map((t) => !(byType || byCategory) || allowed.has(t));
  typeMatches[UNKNOWN_TYPE_ID] = !(byType || byCategory);

  const { scanId, since, until, where } = filter;
  const checks: ((e: AnyEvent) => boolean)[] = [];
  if (scanId !== undefined) checks.push((e) => e.scan_id === scanId);
  if (since !== undefined) checks.push((e) => (e.timestamp ?? Number.NaN) >= since);
  if (until !== undefined) checks.push((e) => (e.timestamp ?? Number.NaN) < until);
  if (where !== undefined) checks.push(where);
  const rest =
    checks.length === 0 ? null : checks.length === 1 ? checks[0]! : (e: AnyEvent) => checks.every((c) => c(e));
  return { typeMatches, rest };
}

export function matches(compiled: CompiledFilter, e: AnyEvent): boolean {
  return compiled.typeMatches[typeId(e.event)]! && (compiled.rest === null || compiled.rest(e));
}

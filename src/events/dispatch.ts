import type { AnyEvent } from "./types.ts";

export type Call = (e: AnyEvent) => void;

/**
 * One function that calls every listener of an event type in order, each in a
 * try of its own so a throwing listener is counted and the next still runs.
 * Up to four listeners are spelled out as straight-line calls: JavaScriptCore
 * inlines those, where a loop over the same functions costs ~7 ns a listener
 * (measured with scripts/bench-bus.ts).
 */
export function compileDispatch(calls: readonly Call[], onError: () => void): Call {
  const [a, b, c, d] = calls;
  switch (calls.length) {
    case 0:
      return () => {};
    case 1:
      return (e) => {
        try { a!(e); } catch { onError(); }
      };
    case 2:
      return (e) => {
        try { a!(e); } catch { onError(); }
        try { b!(e); } catch { onError(); }
      };
    case 3:
      return (e) => {
        try { a!(e); } catch { onError(); }
        try { b!(e); } catch { onError(); }
        try { c!(e); } catch { onError(); }
      };
    case 4:
      return (e) => {
        try { a!(e); } catch { onError(); }
        try { b!(e); } catch { onError(); }
        try { c!(e); } catch { onError(); }
        try { d!(e); } catch { onError(); }
      };
    default:
      return (e) => {
        for (let i = 0; i < calls.length; i++) {
          try { calls[i]!(e); } catch { onError(); }
        }
      };
  }
}

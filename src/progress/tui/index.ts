// The --live dashboard.
export { Dashboard } from "./dashboard.ts";
export type { DashboardIo, DashboardOptions } from "./dashboard.ts";
export { buildFrame, tableHeight, MIN_COLUMNS, MIN_ROWS } from "./layout.ts";
export type { DashboardView, Frame } from "./layout.ts";
export { KeyDecoder } from "./keys.ts";
export type { Key } from "./keys.ts";
export { sparkline } from "./sparkline.ts";
export { restoreSequence } from "./ansi.ts";

import { UsageError } from "../errors.ts";
import { hasTimeCodes } from "../log/index.ts";
import type { Rotation } from "../log/index.ts";

/** The rotation settings after flags and config file are merged, each undefined when neither gave it. */
export interface RotationInput {
  path: string | null;
  rotation?: Rotation;
  maxSize?: number;
  maxFiles?: number;
  compression?: boolean;
}

export type RotationKey = "rotation" | "maxSize" | "maxFiles" | "compression";

/** How a setting is named in a message: `--event-log-max-size`, or `event_log_max_size (FILE:LINE)`. */
export type NameOf = (key: RotationKey) => string;

const FLAGS: Record<RotationKey, string> = {
  rotation: "--event-log-rotation",
  maxSize: "--event-log-max-size",
  maxFiles: "--event-log-max-files",
  compression: "--event-log-compression",
};
const KEYS: Record<RotationKey, string> = {
  rotation: "event_log_rotation",
  maxSize: "event_log_max_size",
  maxFiles: "event_log_max_files",
  compression: "event_log_compression",
};

/** Names a setting by the flag when the command line gave it, else by its config key at `where(key)`. */
export function settingNames(fromFlag: (key: RotationKey) => boolean, where: (key: string) => string | undefined): NameOf {
  return (key) => {
    if (fromFlag(key)) return FLAGS[key];
    const at = where(KEYS[key]);
    return at === undefined ? KEYS[key] : `${KEYS[key]} (${at})`;
  };
}

/**
 * The rotation and size limit to log with. No setting may be silently without
 * effect: a max size alone means size rotation (logrotate's `maxsize` stops the
 * file growing past it); with time rotation it also rotates within the period.
 * What cannot take effect is a UsageError naming both settings: a max size
 * with rotation `never` said outright, compression when nothing is rotated, max
 * files when only one file is ever written, and rotation flags without a log
 * file. `maxSize` null: not given (size rotation then uses its default).
 */
export function settleRotation(input: RotationInput, nameOf: NameOf, fromFlag: (key: RotationKey) => boolean): { rotation: Rotation; maxSize: number | null } {
  const refuse = (key: RotationKey, why: string) => new UsageError(`${nameOf(key)} ${why}`);
  const given = (["rotation", "maxSize", "maxFiles", "compression"] as const).filter((k) => input[k] !== undefined);
  // Config keys without event_log are defaults for a later --event-log; a flag has no such later use.
  const flag = given.find(fromFlag);
  if (flag !== undefined && (input.path === null || input.path === "-")) {
    throw refuse(flag, input.path === null ? "needs --event-log FILE: there is no event log" : 'has no effect on --event-log -: stdout is not rotated');
  }
  if (input.maxSize !== undefined && input.rotation === "never") {
    throw refuse("maxSize", `needs rotation, but ${nameOf("rotation")} is "never"; drop one (a max size alone means size rotation)`);
  }
  const rotation = input.rotation ?? (input.maxSize !== undefined ? "size" : "never");
  if (rotation === "never") {
    const how = `add ${FLAGS.rotation} (size, hourly, daily, weekly) or ${FLAGS.maxSize}`;
    const why = input.rotation === "never" ? `${nameOf("rotation")} is "never"` : 'the log is not rotated (the default rotation is "never")';
    if (input.compression === true) throw refuse("compression", `gzips rotated files, but ${why}: ${how}`);
    if (input.maxFiles !== undefined && input.path !== null && !hasTimeCodes(input.path)) {
      throw refuse("maxFiles", `keeps the newest files, but ${why} and the path has no time code (%Y %m %d %H %M %S), so there is one file: ${how}`);
    }
  }
  return { rotation, maxSize: input.maxSize ?? null };
}

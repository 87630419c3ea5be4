// The SYN scan technique and the capability it needs from the capture layer.
export { SynTechnique } from "./technique.ts";
export type { SynOptions, SynCounters } from "./options.ts";
export { replyFilter, type FrameBatch, type LinkOpener, type LinkStats, type PacketLink } from "./link.ts";
export { SynCookies } from "./cookie.ts";
export { dropPrivileges, lookupUser, rawPrivileges, type DropOutcome, type ProcessIdentity, type RawPrivileges } from "./privileges.ts";

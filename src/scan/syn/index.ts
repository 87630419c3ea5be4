// The SYN scan technique and the capability it needs from the capture layer.
export { SynTechnique, type SynOptions, type SynCounters } from "./technique.ts";
export { replyFilter, type FrameBatch, type LinkOpener, type LinkStats, type PacketLink } from "./link.ts";
export { SynCookies } from "./cookie.ts";
export { dropPrivileges, lookupUser, rawPrivileges, type DropOutcome, type ProcessIdentity, type RawPrivileges } from "./privileges.ts";

/** A libpcap call failed: which call, pcap's own words, and its return code. */
export class PcapError extends Error {
  override name = "PcapError";
  constructor(
    readonly operation: string,
    readonly pcapMessage: string,
    readonly code: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(operation === "load" ? pcapMessage : `${operation} failed: ${pcapMessage}`, options);
  }
}

export const LIBPCAP_NOT_FOUND = "libpcap not found: install libpcap0.8";

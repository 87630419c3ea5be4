// Which port numbers one host has a result for, so a later PortFound for the
// same port (-sU -sV promoting an open|filtered port to open) replaces the
// earlier row instead of adding one. Sized to stay within the two bytes a port
// the collector already spends: an open-addressed table of 16-bit ports while
// the host has few, a 65,536-bit set (8 KiB) once the table would be larger.

const BITSET_BYTES = 1 << 13;

export class SeenPorts {
  // Port 0 marks an empty slot; ports are 1-65535 (validation rejects others at publish).
  private table: Uint16Array | null = new Uint16Array(8);
  private bits: Uint8Array | null = null;
  private size = 0;

  /** Notes `port`; true when it was already there. */
  add(port: number): boolean {
    if (this.bits !== null) {
      const had = (this.bits[port >> 3]! & (1 << (port & 7))) !== 0;
      this.bits[port >> 3]! |= 1 << (port & 7);
      return had;
    }
    const table = this.table!;
    const mask = table.length - 1;
    for (let i = hash(port) & mask; ; i = (i + 1) & mask) {
      if (table[i] === port) return true;
      if (table[i] === 0) {
        table[i] = port;
        if (++this.size * 2 > table.length) this.grow();
        return false;
      }
    }
  }

  private grow(): void {
    const old = this.table!;
    // Past 4,096 slots the table would outweigh the bit set.
    if (old.length * 2 * 2 > BITSET_BYTES) {
      const bits = new Uint8Array(BITSET_BYTES);
      for (const port of old) if (port !== 0) bits[port >> 3]! |= 1 << (port & 7);
      this.bits = bits;
      this.table = null;
      return;
    }
    const table = new Uint16Array(old.length * 2);
    const mask = table.length - 1;
    for (const port of old) {
      if (port === 0) continue;
      let i = hash(port) & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = port;
    }
    this.table = table;
  }
}

/** Scan orders are permutations, but -p lists and top-ports cluster; spread them over the table. */
function hash(port: number): number {
  return Math.imul(port, 0x9e3779b1) >>> 16;
}

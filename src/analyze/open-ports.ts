// The open (host, port) pairs of one scan, which a summary must hold until the
// scan ends: as numbers in one typed array (8 bytes a pair) rather than a Set
// per host (several times that, and garbage for the collector to find), with
// repeats squeezed out whenever the array fills.

const PORT_KEYS = 1 << 18; // port * 2 + (1 for udp), ports up to 131071

export class OpenPorts {
  private readonly ids = new Map<string, number>();
  private readonly hosts: string[] = [];
  private keys = new Float64Array(1 << 12);
  private n = 0;
  /** Pairs whose port is not an integer the key can hold (never written by prtip). */
  private readonly odd = new Map<string, Set<number>>();

  /** `portKey` is port * 2, plus 1 for udp. */
  add(host: string, portKey: number): void {
    let id = this.ids.get(host);
    if (id === undefined) {
      id = this.hosts.length;
      this.hosts.push(host);
      this.ids.set(host, id);
    }
    if (!(Number.isInteger(portKey) && portKey >= 0 && portKey < PORT_KEYS)) {
      let set = this.odd.get(host);
      if (set === undefined) this.odd.set(host, (set = new Set()));
      set.add(portKey);
      return;
    }
    if (this.n === this.keys.length) this.squeeze();
    this.keys[this.n++] = id * PORT_KEYS + portKey;
  }

  /** Each host (in the order given) with its sorted port keys; hosts without open ports are left out. */
  byHost(order: (hosts: string[]) => string[]): [string, number[]][] {
    this.squeeze();
    const perHost: number[][] = this.hosts.map(() => []);
    for (let i = 0; i < this.n; i++) {
      const key = this.keys[i]!;
      perHost[Math.floor(key / PORT_KEYS)]!.push(key % PORT_KEYS);
    }
    for (const [host, set] of this.odd) {
      const list = perHost[this.ids.get(host)!]!;
      for (const k of set) if (!list.includes(k)) list.push(k);
      list.sort((a, b) => a - b);
    }
    return order(this.hosts.filter((_, id) => perHost[id]!.length > 0)).map((host) => [host, perHost[this.ids.get(host)!]!]);
  }

  /** Sorts and drops repeats in place; grows when more than half the room is still in use. */
  private squeeze(): void {
    const keys = this.keys.subarray(0, this.n).sort();
    let w = 0;
    for (let r = 0; r < keys.length; r++) if (w === 0 || keys[r] !== keys[w - 1]) keys[w++] = keys[r]!;
    this.n = w;
    if (w > this.keys.length / 2) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys.subarray(0, w));
      this.keys = grown;
    }
  }
}

/** Hosts per open port: a typed array for real ports, a Map for anything else. */
export class PortTally {
  private readonly counts = new Float64Array(1 << 17);
  private readonly odd = new Map<number, number>();

  add(port: number): void {
    if (Number.isInteger(port) && port >= 0 && port < this.counts.length) this.counts[port]!++;
    else this.odd.set(port, (this.odd.get(port) ?? 0) + 1);
  }

  /** The n ports with most hosts, ties by port number. */
  top(n: number): [number, number][] {
    const best: [number, number][] = [];
    const counts = this.counts;
    for (let port = 0; port < counts.length; port++) {
      const c = counts[port]!;
      // Ports come in ascending order, so an equal count ranks after what is there.
      if (c === 0 || (best.length === n && c <= best[n - 1]![1])) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]![1] < c) at--;
      best.splice(at, 0, [port, c]);
      if (best.length > n) best.pop();
    }
    return [...best, ...this.odd].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n);
  }
}

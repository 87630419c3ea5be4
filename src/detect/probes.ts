// The project's own TCP probe/match database, kept as data and compiled into
// the binary. Written from the protocols' specifications and the greetings of
// the servers we test against; not derived from nmap-service-probes.
//
// Payloads and responses are latin1 strings: one char per byte, so binary
// protocols can be matched with ordinary regular expressions.

export interface Matcher {
  /** Upper-case service name, the ServiceDetected `service`. */
  readonly service: string;
  readonly pattern: RegExp;
  /** `$1`..`$9` are replaced by capture groups; an empty result means "no version". */
  readonly version?: string;
  /** Confidence when the version resolved; 15 less when it did not. */
  readonly confidence: number;
}

export interface ServiceProbe {
  readonly name: string;
  /** Bytes sent after connecting; "" waits for the server to speak first. */
  readonly payload: string;
  /** 1 (common, cheap) to 9 (exotic): sent when rarity <= --version-intensity. */
  readonly rarity: number;
  /** Ports where this probe is tried first and at any intensity. */
  readonly ports: readonly number[];
  readonly matches: readonly Matcher[];
}

/** Servers that talk first. Every probe's response is also checked against these. */
export const GREETING_MATCHES: readonly Matcher[] = [
  { service: "SSH", pattern: /^SSH-([\d.]+)-([^\r\n ]+(?: [^\r\n]+)?)\r?\n/, version: "$2", confidence: 95 },
  { service: "SSH", pattern: /^SSH-[\d.]+-/, confidence: 90 },
  // FTP before SMTP: both greet with 220, the product names tell them apart.
  { service: "FTP", pattern: /^220[ -][^\r\n]*\((vsFTPd [\w.]+)\)/, version: "$1", confidence: 95 },
  { service: "FTP", pattern: /^220[ -][^\r\n]*(ProFTPD [\w.]+)/, version: "$1", confidence: 95 },
  { service: "FTP", pattern: /^220[ -][^\r\n]*(Pure-FTPd)/, version: "$1", confidence: 90 },
  { service: "FTP", pattern: /^220[ -][^\r\n]*(FileZilla Server(?: version)? ?[\w.]*)/, version: "$1", confidence: 90 },
  { service: "FTP", pattern: /^220[ -][^\r\n]*\bftp/i, confidence: 85 },
  { service: "SMTP", pattern: /^220[ -][^\r\n]*\bESMTP (Postfix|Exim [\w.]+|Sendmail [\w./-]+|OpenSMTPD)/, version: "$1", confidence: 95 },
  { service: "SMTP", pattern: /^220[ -][^\r\n]*\bE?SMTP\b/i, confidence: 85 },
  { service: "POP3", pattern: /^\+OK[^\r\n]*\b(Dovecot)\b[^\r\n]*ready/i, version: "$1", confidence: 95 },
  { service: "POP3", pattern: /^\+OK[^\r\n]*\bPOP3?\b/i, confidence: 85 },
  { service: "POP3", pattern: /^\+OK [^\r\n]*\r\n$/, confidence: 65 },
  { service: "IMAP", pattern: /^\* (?:OK|PREAUTH) [^\r\n]*\bIMAP4(?:rev1)?\b[^\r\n]*?\b(Dovecot|Courier-IMAP|Cyrus IMAP v?[\w.-]*)/i, version: "$1", confidence: 95 },
  { service: "IMAP", pattern: /^\* (?:OK|PREAUTH) [^\r\n]*\bIMAP4/i, confidence: 90 },
  // MySQL initial handshake: 3-byte length, sequence 0, protocol 10, NUL-terminated version.
  { service: "MYSQL", pattern: /^[\s\S]{3}\x00\x0a(\d+\.\d+\.\d+[\w.~+-]*-MariaDB[\w.~+-]*)\x00/, version: "MariaDB $1", confidence: 95 },
  { service: "MYSQL", pattern: /^[\s\S]{3}\x00\x0a(\d+\.\d+\.\d+[\w.~+-]*)\x00/, version: "MySQL $1", confidence: 95 },
  { service: "MYSQL", pattern: /^[\s\S]{3}\x00\xff[\s\S]{2}(?:#HY000)?Host '[^']*' is not allowed to connect to this (?:MySQL|MariaDB) server/, confidence: 90 },
  { service: "VNC", pattern: /^RFB (\d{3}\.\d{3})\n$/, version: "RFB $1", confidence: 90 },
];

const httpPorts = [80, 81, 443, 591, 3000, 5000, 8000, 8008, 8080, 8081, 8443, 8888, 9000, 9443];

// PostgreSQL StartupMessage, protocol 3.0, user "prtip", database "prtip":
// any server answers with an authentication request or a FATAL error.
const postgresBody = "\x00\x03\x00\x00" + "user\x00prtip\x00" + "database\x00prtip\x00" + "\x00";
const postgresStartup = "\x00\x00\x00" + String.fromCharCode(4 + postgresBody.length) + postgresBody;

export const TCP_PROBES: readonly ServiceProbe[] = [
  { name: "NULL", payload: "", rarity: 0, ports: [], matches: GREETING_MATCHES },
  {
    name: "HttpGet",
    payload: "GET / HTTP/1.0\r\n\r\n",
    rarity: 1,
    ports: httpPorts,
    matches: [
      // The whole header block must have arrived, so a missing Server header is real.
      { service: "HTTP", pattern: /^HTTP\/\d\.\d \d{3}[^\r\n]*\r\n(?:[^\r\n]+\r\n)*?Server: *([^\r\n]+)\r\n(?:[^\r\n]+\r\n)*\r\n/i, version: "$1", confidence: 95 },
      { service: "HTTP", pattern: /^HTTP\/\d\.\d \d{3}[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/, confidence: 90 },
    ],
  },
  {
    name: "RedisInfo",
    payload: "INFO server\r\n",
    rarity: 2,
    ports: [6379, 6380, 16379, 26379],
    matches: [
      { service: "REDIS", pattern: /^\$\d+\r\n# Server\r\n[\s\S]*?redis_version:([\w.]+)/, version: "Redis $1", confidence: 98 },
      { service: "REDIS", pattern: /^-NOAUTH Authentication required/, confidence: 95 },
      { service: "REDIS", pattern: /^-DENIED Redis is running in protected mode/, confidence: 95 },
    ],
  },
  {
    name: "PostgresStartup",
    payload: postgresStartup,
    rarity: 3,
    ports: [5432, 5433],
    matches: [
      // ErrorResponse with a severity field, or an AuthenticationRequest (codes 0-12).
      { service: "POSTGRESQL", pattern: /^E[\s\S]{4}S(?:FATAL|ERROR)\x00(?:VFATAL\x00)?C[0-9A-Z]{5}\x00/, confidence: 90 },
      { service: "POSTGRESQL", pattern: /^R\x00\x00\x00[\x08\x0c\x0d-\x20]\x00\x00\x00[\x00-\x0c]/, confidence: 90 },
    ],
  },
];

/** Ports where TLS is spoken from the first byte (HTTPS, SMTPS, LDAPS, DoT, FTPS, IMAPS, POP3S, ...). */
export const TLS_PORTS: ReadonlySet<number> = new Set([
  443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 6697, 8443, 9443,
]);

/** A protocol's name when it runs inside TLS; absent names are kept as they are. */
export const TLS_NAMES: Readonly<Record<string, string>> = {
  HTTP: "HTTPS",
  SMTP: "SMTPS",
  IMAP: "IMAPS",
  POP3: "POP3S",
  FTP: "FTPS",
};

/** Answers that mean "this port wants TLS": a TLS alert record, or a web server saying so. */
export const TLS_HINTS: readonly RegExp[] = [
  /^\x15\x03[\x00-\x04]\x00\x02/,
  /^\x16\x03[\x00-\x04]/,
  /The plain HTTP request was sent to HTTPS port/i,
  /speaking plain HTTP to an SSL-enabled server/i,
  /Client sent an HTTP request to an HTTPS server/i,
];

/** When nothing answers recognisably: the port's usual service, with a confidence that says "guess". */
export const PORT_GUESSES: Readonly<Record<number, string>> = {
  21: "FTP", 22: "SSH", 23: "TELNET", 25: "SMTP", 53: "DNS", 80: "HTTP", 110: "POP3", 143: "IMAP",
  443: "HTTPS", 465: "SMTPS", 587: "SMTP", 993: "IMAPS", 995: "POP3S", 3306: "MYSQL",
  5432: "POSTGRESQL", 5900: "VNC", 6379: "REDIS", 8080: "HTTP", 8443: "HTTPS",
};
export const PORT_GUESS_CONFIDENCE = 10;

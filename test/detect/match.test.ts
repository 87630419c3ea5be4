import { describe, expect, test } from "bun:test";
import { UsageError } from "../../src/errors.ts";
import {
  GREETING_MATCHES,
  TCP_PROBES,
  expandVersion,
  latin1,
  looksLikeTls,
  matchResponse,
  printableBanner,
  probesFor,
  resolveDetectOptions,
} from "../../src/detect/index.ts";

const NULL_PROBE = TCP_PROBES.find((p) => p.name === "NULL")!;
const probe = (name: string) => TCP_PROBES.find((p) => p.name === name)!;
const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A MySQL initial handshake packet (protocol 10) carrying `version`. */
function mysqlHandshake(version: string): string {
  const body = "\x0a" + version + "\x00" + "\x08\x00\x00\x00" + "abcdefgh\x00" + "\xff\xf7";
  return String.fromCharCode(body.length & 0xff, body.length >> 8, 0) + "\x00" + body;
}

describe("greetings of talk-first servers", () => {
  const cases: [string, string, string | null][] = [
    ["220 (vsFTPd 3.0.3)\r\n", "FTP", "vsFTPd 3.0.3"],
    ["220 ProFTPD 1.3.8 Server (Debian) [::ffff:127.0.0.1]\r\n", "FTP", "ProFTPD 1.3.8"],
    ["220 mail.lab.test ESMTP Postfix (Debian/GNU)\r\n", "SMTP", "Postfix"],
    ["220 mx.lab.test ESMTP Exim 4.96 Sun, 29 Nov 2026 19:00:00 +0000\r\n", "SMTP", "Exim 4.96"],
    ["+OK Dovecot (Debian) ready.\r\n", "POP3", "Dovecot"],
    ["* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n", "IMAP", "Dovecot"],
    [mysqlHandshake("8.0.36-0+deb12u1"), "MYSQL", "MySQL 8.0.36-0+deb12u1"],
    [mysqlHandshake("10.11.6-MariaDB-0+deb12u1"), "MYSQL", "MariaDB 10.11.6-MariaDB-0+deb12u1"],
    ["SSH-2.0-dropbear_2022.83\r\n", "SSH", "dropbear_2022.83"],
  ];
  for (const [greeting, service, version] of cases) {
    test(`a ${service} greeting names ${version}`, () => {
      expect(matchResponse(NULL_PROBE, greeting)).toMatchObject({ service, version });
    });
  }

  test("a 220 greeting naming neither FTP nor SMTP is not guessed", () => {
    expect(matchResponse(NULL_PROBE, "220 Welcome\r\n")).toBeNull();
  });

  test("an SSH greeting in answer to an HTTP probe still names SSH", () => {
    expect(matchResponse(probe("HttpGet"), "SSH-2.0-OpenSSH_9.2p1\r\nInvalid SSH identification string.\r\n")?.service).toBe("SSH");
  });
});

describe("answers to probes", () => {
  test("an HTTP answer without a Server header is HTTP with no version and lower confidence", () => {
    const withServer = matchResponse(probe("HttpGet"), "HTTP/1.1 200 OK\r\nServer: Caddy\r\nContent-Length: 0\r\n\r\n");
    const without = matchResponse(probe("HttpGet"), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    expect(withServer).toEqual({ service: "HTTP", version: "Caddy", confidence: 95 });
    expect(without?.service).toBe("HTTP");
    expect(without?.version).toBeNull();
    expect(without!.confidence).toBeLessThan(withServer!.confidence);
  });

  test("an HTTP answer cut before the end of its headers is not matched yet", () => {
    expect(matchResponse(probe("HttpGet"), "HTTP/1.1 200 OK\r\nContent-Le")).toBeNull();
  });

  test("PostgreSQL's FATAL error to our startup message is POSTGRESQL", () => {
    const fields = "SFATAL\x00VFATAL\x00C28000\x00Mrole \"prtip\" does not exist\x00\x00";
    const answer = "E" + "\x00\x00\x00" + String.fromCharCode(4 + fields.length) + fields;
    expect(matchResponse(probe("PostgresStartup"), answer)?.service).toBe("POSTGRESQL");
  });

  test("Redis asking for a password is still REDIS", () => {
    expect(matchResponse(probe("RedisInfo"), "-NOAUTH Authentication required.\r\n")).toMatchObject({ service: "REDIS", version: null });
  });

  test("the PostgreSQL startup message carries its own length", () => {
    const payload = probe("PostgresStartup").payload;
    expect(payload.charCodeAt(3)).toBe(payload.length);
  });

  test("TLS alerts and web servers' plain-HTTP complaints ask for TLS", () => {
    expect(looksLikeTls("\x15\x03\x01\x00\x02\x02\x46")).toBe(true);
    expect(looksLikeTls("HTTP/1.1 400 Bad Request\r\n\r\n<center>The plain HTTP request was sent to HTTPS port</center>")).toBe(true);
    expect(looksLikeTls("HTTP/1.1 200 OK\r\n\r\n")).toBe(false);
  });
});

describe("version templates", () => {
  test("$n are replaced by capture groups, an empty result is no version", () => {
    const m = /^(a)(b)?/.exec("a")!;
    expect(expandVersion("$1 $2", m)).toBe("a");
    expect(expandVersion("$2", m)).toBeNull();
    expect(expandVersion(undefined, m)).toBeNull();
  });

  test("every greeting matcher names an upper-case service and a confidence from 0 to 100", () => {
    for (const m of [...GREETING_MATCHES, ...TCP_PROBES.flatMap((p) => p.matches)]) {
      expect(m.service).toMatch(/^[A-Z0-9-]+$/);
      expect(m.confidence).toBeGreaterThanOrEqual(15);
      expect(m.confidence).toBeLessThanOrEqual(100);
    }
  });
});

describe("banners", () => {
  test("printable ASCII is kept, line ends and other bytes are escaped, trailing CRLF dropped", () => {
    expect(printableBanner(bytes("220 hi\tthere\r\n\x00\xff\\\r\n"))).toBe("220 hi\\tthere\\r\\n\\x00\\xff\\\\");
  });

  test("a banner is cut to 1 KiB without splitting an escape", () => {
    const long = printableBanner(bytes("A".repeat(1021) + "\xff\xff"));
    expect(long.length).toBeLessThanOrEqual(1024);
    expect(long).toBe("A".repeat(1021));
  });

  test("latin1 keeps every byte as one char", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(latin1(all), (c) => c.charCodeAt(0))).toEqual(Array.from(all));
  });
});

describe("--version-intensity", () => {
  test("intensity 0 sends only the probes registered for the port", () => {
    expect(probesFor(6379, 0).map((p) => p.name)).toEqual(["RedisInfo"]);
    expect(probesFor(40000, 0)).toEqual([]);
  });

  test("a port's own probe goes first, the rest follow by rarity", () => {
    expect(probesFor(5432, 9).map((p) => p.name)).toEqual(["PostgresStartup", "HttpGet", "RedisInfo"]);
    expect(probesFor(40000, 2).map((p) => p.name)).toEqual(["HttpGet", "RedisInfo"]);
  });

  test("an intensity outside 0-9 is a usage error naming the value", () => {
    expect(() => resolveDetectOptions({ intensity: 10 })).toThrow(UsageError);
    expect(() => resolveDetectOptions({ intensity: 10 })).toThrow('invalid version intensity "10"');
    expect(resolveDetectOptions({ intensity: 0 }).intensity).toBe(0);
  });
});

describe("versions a hostile server chooses", () => {
  test("escape sequences in a Server header or SSH greeting come out as \\xNN, never raw to the terminal", () => {
    const http = matchResponse(probe("HttpGet"), "HTTP/1.0 200 OK\r\nServer: evil\x1b[31mRED\x07\x9b2J\r\n\r\n");
    expect(http).toEqual({ service: "HTTP", version: "evil\\x1b[31mRED\\x07\\x9b2J", confidence: 95 });
    const ssh = matchResponse(NULL_PROBE, "SSH-2.0-Open\x1b]0;pwned\x07SSH_9\r\n");
    expect(ssh?.version).toBe("Open\\x1b]0;pwned\\x07SSH_9");
  });
});

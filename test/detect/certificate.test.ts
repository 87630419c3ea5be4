import { describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { certificateFields } from "../../src/detect/index.ts";
import { run } from "./service-kit.ts";

/** A throwaway self-signed certificate with `subject` and `san` (openssl's syntax), as DER. */
function certificate(subject: string, san: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "prtip-cert-"));
  try {
    const pem = join(dir, "cert.pem");
    run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", join(dir, "key.pem"), "-out", pem, "-days", "2", "-utf8", "-subj", subject, "-addext", `subjectAltName=${san}`]);
    return new Uint8Array(new X509Certificate(readFileSync(pem)).raw);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("certificate fields", () => {
  test("names read as written, in certificate order, without RFC 4514 escapes; a multi-valued RDN joined by +", () => {
    const der = certificate("/C=DE/O=A\\+B\\, Inc./OU=x+CN=y", "DNS:lab.test,IP:127.0.0.1,IP:::1,email:a@b.test,URI:https://u.test/p");
    const f = certificateFields(der, "127.0.0.1", 443);
    expect(f.subject).toBe("C=DE, O=A+B, Inc., CN=y+OU=x"); // a SET of attributes is in DER order
    expect(f.issuer).toBe(f.subject);
    expect(f.san).toEqual(["lab.test", "127.0.0.1", "::1", "a@b.test", "https://u.test/p"]);
    expect(f.self_signed).toBe(true);
  });

  test("control characters in names and SANs come out as \\xNN, never raw (they would drive the terminal)", () => {
    const der = certificate("/CN=evil\x1b[31mred\x07", "DNS:x\x1b[2Jy");
    const f = certificateFields(der, "127.0.0.1", 443);
    expect(f.subject).toBe("CN=evil\\x1b[31mred\\x07");
    expect(f.san).toEqual(["x\\x1b[2Jy"]);
  });

  test("UTF-8 names stay readable", () => {
    const f = certificateFields(certificate("/CN=Ünïcode \"q\" <t>", "DNS:a.test"), "127.0.0.1", 443);
    expect(f.subject).toBe('CN=Ünïcode "q" <t>');
  });
});

import { X509Certificate } from "node:crypto";
import type { FieldsOf } from "../events/index.ts";

export type CertificateFields = FieldsOf<"CertificateFound">;

/** `C=DE\nO=Lab\nCN=x` (node's form) as `C=DE, O=Lab, CN=x`, in certificate order. */
function distinguishedName(text: string): string {
  return text.split("\n").filter((part) => part !== "").join(", ");
}

function isoDate(text: string): string | null {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** `DNS:a, IP Address:127.0.0.1, email:x@y` as `["a", "127.0.0.1", "x@y"]`. */
export function subjectAltNames(text: string | undefined): string[] {
  if (text === undefined || text === "") return [];
  return text
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(?:DNS|IP Address|email|URI|othername|DirName|Registered ID):/, "").trim())
    .filter((name) => name !== "");
}

function selfSigned(cert: X509Certificate): boolean {
  if (cert.subject !== cert.issuer || !cert.checkIssued(cert)) return false;
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/** CertificateFound fields from a certificate in DER form. Throws on bytes that are not a certificate. */
export function certificateFields(der: Uint8Array, target: string, port: number): CertificateFields {
  const cert = new X509Certificate(der);
  return {
    target,
    port,
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    valid_from: isoDate(cert.validFrom),
    valid_until: isoDate(cert.validTo),
    san: subjectAltNames(cert.subjectAltName),
    sha256: cert.fingerprint256.replaceAll(":", "").toLowerCase(),
    self_signed: selfSigned(cert),
  };
}

import { X509Certificate } from "node:crypto";
import type { FieldsOf } from "../events/index.ts";
import { certificateNames } from "./x509-names.ts";

export type CertificateFields = FieldsOf<"CertificateFound">;

function isoDate(text: string): string | null {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
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
  // Names from the DER, not from cert.subject and friends, whose text differs between the Bun and Deno runtimes.
  const { subject, issuer, san } = certificateNames(der);
  return {
    target,
    port,
    subject,
    issuer,
    valid_from: isoDate(cert.validFrom),
    valid_until: isoDate(cert.validTo),
    san,
    sha256: cert.fingerprint256.replaceAll(":", "").toLowerCase(),
    self_signed: selfSigned(cert),
  };
}
